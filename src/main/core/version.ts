/** Benchtop's version; stamped on every session container's labels. A test keeps it equal to package.json's. */
export const BENCHTOP_VERSION = '0.1.0';
