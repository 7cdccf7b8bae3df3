import { memoryTarget, standaloneTarget } from '../contract/targets';
import { describeSameQuestionTargets } from './same-question-targets';

describeSameQuestionTargets('memory backend', memoryTarget);
describeSameQuestionTargets('client-side index on a real redis-server', () => standaloneTarget({ tls: false, semanticIndex: 'client' }));
