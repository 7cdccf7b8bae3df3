/**
 * The Lua lines both semantic indexes use to record an asker in a document's rejections (the
 * reject action): from `held` (space-separated askers, oldest first, or false), answer 1 at once
 * when ARGV[1] is already there, else leave in `value` the askers with ARGV[1] appended, at most
 * ARGV[2] of them (the oldest dropped). The script around them reads `held` and writes `value`.
 */
export const APPEND_REJECTED_ASKER = `local askers = {}
if held then
  for asker in string.gmatch(held, '%S+') do
    if asker == ARGV[1] then return 1 end
    askers[#askers + 1] = asker
  end
end
askers[#askers + 1] = ARGV[1]
local first = math.max(1, #askers - tonumber(ARGV[2]) + 1)
local value = table.concat(askers, ' ', first, #askers)`;
