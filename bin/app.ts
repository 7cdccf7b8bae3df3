#!/usr/bin/env node
import { App } from 'aws-cdk-lib';
import { createStacks } from '../lib/app';
import { ConfigError } from '../lib/config/app-config';

const app = new App();
try {
  createStacks(app);
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  console.error(error.message);
  process.exit(1);
}
