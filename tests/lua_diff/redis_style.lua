-- typical script patterns (KEYS/ARGV style tables, counters, string building)
local KEYS = {"user:1", "user:2", "user:3"}
local ARGV = {"10", "20", "x"}
local total = 0
for i, k in ipairs(KEYS) do
  local n = tonumber(ARGV[i])
  if n then total = total + n else print("not a number:", ARGV[i]) end
end
print("total", total)
local store = {}
local function incrby(key, by) store[key] = (store[key] or 0) + by; return store[key] end
for i = 1, 5 do incrby("counter", i) end
print(store.counter)
local res = {}
for i = 1, 10 do res[#res + 1] = "item:" .. i end
print(#res, res[1], res[#res])
local function split(s, sep)
  local parts = {}
  for p in string.gmatch(s, "([^" .. sep .. "]+)") do parts[#parts + 1] = p end
  return parts
end
local p = split("a:b:c:d", ":")
print(#p, table.concat(p, "|"))
local function join(t, sep) return table.concat(t, sep) end
print(join({"x", "y", "z"}, ", "))
local hash = {}
local fields = {"name", "bob", "age", "42", "city", "paris"}
for i = 1, #fields, 2 do hash[fields[i]] = fields[i + 1] end
local keys = {}
for k in pairs(hash) do keys[#keys + 1] = k end
table.sort(keys)
for _, k in ipairs(keys) do print(k, hash[k]) end
local function ratelimit(count, limit) if count > limit then return 0 end return 1 end
print(ratelimit(5, 10), ratelimit(11, 10))
local bucket = {}
for i = 1, 100 do local b = i % 7; bucket[b] = (bucket[b] or 0) + 1 end
local bs = {}
for b = 0, 6 do bs[#bs + 1] = b .. "=" .. bucket[b] end
print(table.concat(bs, " "))
local json_like = {}
for k, v in pairs({a = 1}) do json_like[#json_like + 1] = string.format("%q:%s", k, tostring(v)) end
print("{" .. table.concat(json_like, ",") .. "}")
print(string.format("%s:%d", "key", 12.0), tostring(12.0), 12.0 == 12)
local ttl = 3600.5
print(math.floor(ttl), math.ceil(ttl), string.format("%d", ttl))
local list = {}
for i = 1, 10 do table.insert(list, 1, i) end
print(table.concat(list, ","))
while #list > 5 do table.remove(list) end
print(table.concat(list, ","))
local ok, err = pcall(function() return nil .. "x" end)
print(ok, err)
local s = string.rep("ab", 5)
print(s:sub(3, 6), s:find("ba", 1, true), s:gsub("ab", "x"))
