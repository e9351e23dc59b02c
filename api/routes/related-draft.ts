import { Router } from "express";
import { relatedForEntities } from "../../src/index.js";
import type { ApiContext } from "../context.js";
import { parseDraft } from "../draft-body.js";
import { parseParams, relatedQuerySchema } from "../queries.js";
import { filtersMeant } from "../../src/check/filter-aliases.js";
import { readQuery } from "../read-query.js";
import { sendUncached } from "../respond.js";

/** `POST /related?limit=…`: related posts for a draft (a record in any spelling, or `{entities}`), from the related-posts index. */
export function relatedDraftRoutes(context: ApiContext): Router {
  return Router().post("/related", async (req, res) => {
    const query = parseParams(relatedQuerySchema, readQuery(req));
    const draft = parseDraft(req.body);
    const answer = relatedForEntities(await context.related.current(), draft, {
      ...query,
      filters: filtersMeant(query.filters, context.aliases()),
      minScore: query.minScore ?? context.options.relatedMinScore,
      typeWeights: context.options.typeWeights,
    });
    sendUncached(res, answer);
  });
}
