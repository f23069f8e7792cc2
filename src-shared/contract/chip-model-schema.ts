/** The chip model as it crosses a boundary (snapshot, summary). */
import { z } from 'zod';
import { CHIP_MODELS } from '../chip-model.js';

export const chipModelSchema = z.enum(CHIP_MODELS);
