-- varargs, select, unpack, multiple results
local function count(...) return select("#", ...) end
print(count(), count(nil), count(1, nil), count(nil, nil, nil))
local function pass(...) return ... end
print(pass(1, 2, 3))
print((pass(1, 2, 3)))
print(pass(1, nil, 3))
local function first(a, ...) return a end
print(first(9, 8, 7))
local function rest(a, ...) return ... end
print(rest(1, 2, 3))
print(select(2, "a", "b", "c"))
print(select(-1, "a", "b", "c"))
print(select(-2, "a", "b", "c"))
print(select(3, "a", "b"))
print(pcall(select, 0, "a"))
print(pcall(select, -5, "a"))
print(select("#"))
print(unpack({1, 2, 3}))
print(unpack({1, 2, 3}, 2))
print(unpack({1, 2, 3}, 2, 3))
print(unpack({1, 2, 3}, 3, 2))
print(unpack({}, 1, 3))
print(unpack({1, nil, 3}, 1, 3))
local function two() return 1, 2 end
print(two(), two())
print(({two(), two()})[3], #{two(), two()})
local t = {two(), (two())}
print(#t)
local a, b, c, d = two()
print(a, b, c, d)
local x, y = (two())
print(x, y)
print(two() + 10)
print(string.format("%d %d", two()))
local function va(...)
  local t = {...}
  return #t, t[1], t[#t]
end
print(va(5, 6, 7))
local function va2(...)
  local a, b = ...
  return a, b
end
print(va2(1), va2(1, 2, 3))
local function tail(n, ...) if n == 0 then return ... end return tail(n - 1, n, ...) end
print(tail(5))
print(math.max(unpack({3, 9, 2})))
local packed = {n = select("#", 1, nil, 3), 1, nil, 3}
print(packed.n)
local function vararg_in_table(...) return {..., "end"} end
print(#vararg_in_table(1, 2, 3), vararg_in_table(1, 2, 3)[2])
local function va3(...) return select("#", ...), ... end
print(va3(nil, nil))
print(pcall(unpack))
