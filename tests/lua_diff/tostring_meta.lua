-- __tostring results are returned as is by tostring; print needs a string or number
local o = setmetatable({}, {__tostring = function() return 42 end})
print(type(tostring(o)), tostring(o), o)
local p = setmetatable({}, {__tostring = function() return {} end})
print(type(tostring(p)))
print(pcall(print, p))
local q = setmetatable({}, {__tostring = function() return nil end})
print(tostring(q), pcall(print, q))
