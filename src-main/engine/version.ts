/** The app version, shown in the UI, the user agent (hashdeck/<version>) and APIs. */
export const VERSION = '0.1.0';
export const USER_AGENT = `hashdeck/${VERSION}`;
