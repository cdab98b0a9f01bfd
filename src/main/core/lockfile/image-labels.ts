/** What an analysis image says about its lockfile (images/analysis/Dockerfile sets these labels). */
export const LOCKFILE_SHA_LABEL = 'dev.benchtop.lockfile.sha256';
export const LOCKFILE_PATH_LABEL = 'dev.benchtop.lockfile.path';
/** Where images/analysis/Dockerfile puts the lockfile when the label does not say. */
export const IMAGE_LOCKFILE_PATH = '/opt/benchtop/environment.lock';
