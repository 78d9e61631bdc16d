import { Implementation, log as dimseLog } from 'dcmjs-dimse';
import type { Logger } from 'pino';
import { IMPLEMENTATION_CLASS_UID, IMPLEMENTATION_VERSION_NAME } from './dicom-uids';

/**
 * Process-wide settings of dcmjs-dimse (it keeps them in statics), for the listener and `send`:
 * - our Implementation Class UID / Version Name in A-ASSOCIATE-RQ/AC (PS3.7 D.3.3.2), not the library's;
 * - its log: a global loglevel logger writing plain text to the console, which would land among
 *   our JSON lines. Routed into pino: info chatter (association dumps, DIMSE summaries, never
 *   datasets: logDatasets stays off) at debug, errors at warn (they also surface as `networkError`).
 */
export function configureDimseLibrary(logger: Logger): void {
  Implementation.setImplementationClassUid(IMPLEMENTATION_CLASS_UID);
  Implementation.setImplementationVersion(IMPLEMENTATION_VERSION_NAME);
  const library = logger.child({ library: 'dcmjs-dimse' });
  dimseLog.methodFactory = (methodName) => {
    const write = methodName === 'error' || methodName === 'warn' ? library.warn.bind(library) : library.debug.bind(library);
    return (...args: unknown[]) => write(args.map(String).join(' '));
  };
  dimseLog.setLevel(logger.isLevelEnabled('debug') ? 'debug' : 'warn');
}
