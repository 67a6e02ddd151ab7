import type { FastifyInstance } from 'fastify';
import { setOwn } from '../../../base/setOwn.js';
import { describeValue } from '../../../space/describeSpace.js';
import type { AskTell, Asked, TellBody } from './AskTell.js';

const askSchema = {
  type: 'object',
  properties: { count: { type: 'integer', minimum: 1, maximum: 1000 } },
  additionalProperties: false,
} as const;

const tellSchema = {
  type: 'object',
  required: ['id'],
  properties: {
    id: { type: 'integer', minimum: 0 },
    value: { type: 'number' },
    status: { enum: ['ok', 'failed'] },
    error: { type: 'string', maxLength: 4096 },
    step: { type: 'integer', minimum: 1 },
    state: {},
  },
  additionalProperties: false,
} as const;

interface TellRequest {
  readonly id: number;
  readonly value?: number;
  readonly status?: 'ok' | 'failed';
  readonly error?: string;
  readonly step?: number;
  readonly state?: unknown;
}

/** What a client gets for an ask. */
function wireAsked({ id, candidate }: Asked): Record<string, unknown> {
  const params: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(candidate.params as Record<string, unknown>)) setOwn(params, key, describeValue(v));
  const out: Record<string, unknown> = { id, i: candidate.i, params };
  if (candidate.resources !== undefined) out.resources = candidate.resources;
  return out;
}

/**
 * `POST /api/ask` (`{}` or `{ "count": k }`) and `POST /api/tell`, validated
 * by JSON schema (no coercion: a value that is not a JSON number is a 400).
 */
export function askTellRoutes(app: FastifyInstance, state: AskTell, waitMs: number): void {
  app.post<{ Body: { count?: number } | undefined }>(
    '/api/ask',
    {
      schema: { body: askSchema },
      // No body at all asks for one candidate, as `{}` does.
      preValidation: async (request) => {
        request.body ??= {};
      },
    },
    async (request, reply) => {
      const count = request.body?.count;
      const asked: Asked[] = [];
      for (let k = 0; k < (count ?? 1); k++) {
        const next = await state.ask(waitMs);
        if (next === undefined || next === null) {
          if (asked.length > 0) break;
          return next === undefined
            ? reply.code(410).send({ error: 'the run is complete: the sampler has no more candidates' })
            : reply
                .code(503)
                .header('retry-after', '1')
                .send({ error: `no candidate yet: the sampler waits for results of the ${state.outstanding} outstanding asks; ask again` });
        }
        asked.push(next);
      }
      return count === undefined ? wireAsked(asked[0]) : asked.map(wireAsked);
    },
  );

  app.post<{ Body: TellRequest }>('/api/tell', { schema: { body: tellSchema } }, async (request, reply) => {
    const { id, value, status, error, step, state: trialState } = request.body;
    let body: TellBody;
    if (status === 'failed') {
      if (step !== undefined) return reply.code(400).send({ error: 'body: a step report cannot have status "failed"' });
      body = { id, status, error };
    } else if (value === undefined) {
      return reply.code(400).send({ error: 'body must have a number "value" (or "status": "failed")' });
    } else if (step !== undefined) body = { id, step, value };
    else body = { id, value, state: trialState };
    const answer = state.tell(body);
    if (answer.status !== 200) return reply.code(answer.status).send({ error: answer.error });
    return step === undefined ? { ok: true } : { ok: true, prune: answer.prune ?? false };
  });
}
