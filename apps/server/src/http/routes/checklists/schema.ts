import { ErrorBody, Id } from '@afterhours/shared';
import { z } from 'zod';

export const tags = ['checklists'];
export const errors = {
  400: ErrorBody,
  401: ErrorBody,
  403: ErrorBody,
  404: ErrorBody,
  409: ErrorBody,
  429: ErrorBody,
};
export const Created = z.object({ id: z.string() });
export const StepParams = z.object({ id: Id, stepId: Id });
