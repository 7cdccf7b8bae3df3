import { RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';

/** Props of a cache user's credentials secret. */
export interface CacheSecretProps {
  /** User name stored beside the generated password. */
  readonly username: string;
  /** Human-readable purpose, shown in the console. */
  readonly description: string;
}

/**
 * A Secrets Manager secret `{ "username": ..., "password": ... }` whose password CloudFormation
 * generates at deploy time: 32 letters and digits. ElastiCache and MemoryDB accept 16-128
 * printable characters but reject some punctuation, and the EC2 host writes the password into
 * redis.conf, so punctuation is excluded altogether (32 alphanumerics is about 190 bits).
 */
export class CacheSecret extends secretsmanager.Secret {
  constructor(scope: Construct, id: string, props: CacheSecretProps) {
    super(scope, id, {
      description: props.description,
      generateSecretString: {
        secretStringTemplate: JSON.stringify({ username: props.username }),
        generateStringKey: 'password',
        passwordLength: 32,
        excludePunctuation: true,
        includeSpace: false,
      },
      // A cache credential protects disposable data; deleting it with the stack keeps
      // `cdk destroy` clean.
      removalPolicy: RemovalPolicy.DESTROY,
    });
    Validations.of(this).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'Rotation is out of scope: the cache user password is set by CloudFormation (ElastiCache/MemoryDB user) or read at boot (EC2 host) from this secret, so rotating it needs a rotation function that also updates the cache; listed as future work in the README.',
    });
  }
}
