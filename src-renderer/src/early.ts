/** The page's first script: open the engine's WebSocket before the app loads (state/early-socket.ts). */
import { openEarlySocket } from './state/early-socket.js';

openEarlySocket();
