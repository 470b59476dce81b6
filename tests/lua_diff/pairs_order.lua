-- pairs order follows Lua 5.1's node layout for string/number/boolean keys
local function keys(t) local o = {} for k in pairs(t) do o[#o + 1] = tostring(k) end return table.concat(o, " ") end
print(keys({a = 1, b = 2, c = 3}))
local t = {} t.x = 1 t.y = 2 t.z = 3 t.w = 4 print(keys(t))
local u = {} for i = 1, 10 do u["k" .. i] = i end print(keys(u))
print(keys({1, 2, 3, x = 1, [10] = 5, [2.5] = 1, [true] = 1}))
local h = {}
for _, w in ipairs({"name", "age", "city", "email", "phone", "zip", "country", "id"}) do h[w] = #w end
print(keys(h))
h.age = nil h.zip = nil h.extra = 1
print(keys(h))
local nums = {}
for i = 1, 20 do nums[i * 3] = i end
print(keys(nums))
local mixed = {}
for i = 1, 5 do mixed[i] = i mixed["s" .. i] = i mixed[i + 0.5] = i end
print(keys(mixed))
local fields = {}
for _, f in ipairs({"field1", "value1", "field2", "value2", "f3", "v3"}) do fields[f] = true end
print(keys(fields))
