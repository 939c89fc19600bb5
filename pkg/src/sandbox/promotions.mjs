// `promotiontask.relation.query`: the promotion relations (推广关系) of a commodity, paged as the
// reference (§4.8) describes: `page_size` 1–100 (default 10), `page_num` from 1 (default 1).
import { BusinessError } from "./errors.mjs";

/**
 * One sample relation of `promoter` for `commodityId` (what a sandbox shows when none are configured).
 * @param {string} commodityId
 * @param {{ name: string, pid: string }} promoter
 */
function sampleRelations(commodityId, promoter) {
  return [
    {
      apply_reason: "线下地推合作",
      commodity_id: commodityId,
      commodity_name: "示例点餐小程序模板",
      create_time: "2026-01-01 10:00:00",
      promoter_contact_name: "李四",
      promoter_contact_phone: "13900000000",
      promoter_name: promoter.name,
      promoter_pid: promoter.pid,
      promotion_id: `${commodityId.slice(-8)}000777`,
      promotion_name: "开业推广",
    },
  ];
}

/** A positive integer from a JSON number or decimal text (v3 query strings), else `null`. */
function integer(v, dflt) {
  if (v === undefined || v === null || v === "") return dflt;
  const n = typeof v === "number" ? v : /^\d+$/.test(String(v)) ? Number(v) : NaN;
  return Number.isInteger(n) ? n : null;
}

/**
 * The answer to one query over `relations` (snake_case records).
 * @param {Array<Record<string, string>>} relations
 * @param {Record<string, unknown>} params
 */
function queryRelations(relations, params) {
  const id = params.commodity_id;
  if (typeof id !== "string" || id === "") throw new BusinessError("PARAMS_ERROR", "参数错误：commodity_id 不能为空");
  const size = integer(params.page_size, 10);
  const page = integer(params.page_num, 1);
  if (size === null || size < 1 || size > 100)
    throw new BusinessError("PARAMS_ERROR", "参数错误：page_size 范围 1-100");
  if (page === null || page < 1) throw new BusinessError("PARAMS_ERROR", "参数错误：page_num 从 1 开始");
  const mine = relations.filter((r) => r.commodity_id === id);
  return {
    current_page: page,
    page_size: size,
    total_size: mine.length,
    promotion_relations: mine.slice((page - 1) * size, page * size),
  };
}

export { sampleRelations, queryRelations };
