-- select/unpack/varargs at larger sizes
local big = {}
for i = 1, 250 do big[i] = i end
print(select("#", unpack(big)))
print(select(250, unpack(big)))
print(select(-1, unpack(big)))
local function count(...) return select("#", ...) end
print(count(unpack(big, 1, 100)), count(unpack(big, 100, 250)))
local function sum(...)
  local s = 0
  for i = 1, select("#", ...) do s = s + select(i, ...) end
  return s
end
print(sum(unpack(big)))
local function pack(...) return {n = select("#", ...), ...} end
local p = pack(nil, nil, nil)
print(p.n, #p)
print(math.max(unpack(big)), math.min(unpack(big)))
print(string.char(unpack({65, 66, 67})))
print(#{unpack(big, 1, 3)}, unpack({}, 1, 0))
local function tailcount(...) return count(...) end
print(tailcount(unpack(big, 1, 200)))
print(pcall(select, "x"))
print(pcall(select, 1.5, "a", "b"))
