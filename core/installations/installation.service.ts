import type { InstallationService } from '../core.types.js';
import type { Clock } from '../shared/clock.js';
import { parseInput } from '../shared/validate.js';
import type { InstallationRepository } from './installation.repository.js';
import { installationRecordSchema } from './installation.schema.js';

export function createInstallationService(installations: InstallationRepository, clock: Clock): InstallationService {
  return {
    save: (input) => installations.save(parseInput(installationRecordSchema, input), clock.now()),
    find: (teamId) => installations.find(teamId),
    remove: (teamId) => installations.remove(teamId),
  };
}
