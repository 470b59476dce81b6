-- classes with metatables, inheritance, methods
local Animal = {}
Animal.__index = Animal
function Animal.new(name, sound)
  local self = setmetatable({}, Animal)
  self.name = name
  self.sound = sound
  return self
end
function Animal:speak() return self.name .. " says " .. self.sound end
function Animal:getName() return self.name end
local Dog = setmetatable({}, {__index = Animal})
Dog.__index = Dog
function Dog.new(name)
  local self = Animal.new(name, "woof")
  return setmetatable(self, Dog)
end
function Dog:fetch() return self.name .. " fetches" end
local d = Dog.new("Rex")
print(d:speak(), d:fetch(), d:getName())
local a = Animal.new("Cat", "meow")
print(a:speak(), a.fetch)
print(getmetatable(d) == Dog, getmetatable(a) == Animal)
local Stack = {}
Stack.__index = Stack
function Stack.new() return setmetatable({items = {}, size = 0}, Stack) end
function Stack:push(v) self.size = self.size + 1; self.items[self.size] = v; return self end
function Stack:pop()
  if self.size == 0 then return nil end
  local v = self.items[self.size]
  self.items[self.size] = nil
  self.size = self.size - 1
  return v
end
local st = Stack.new():push(1):push(2):push(3)
print(st:pop(), st:pop(), st.size)
local obj = {value = 10}
function obj.plain(x) return x end
function obj:method(x) return self.value + x end
print(obj.plain(5), obj:method(5), obj.method(obj, 1))
local Account = {balance = 0}
function Account:new(o) o = o or {}; setmetatable(o, self); self.__index = self; return o end
function Account:deposit(v) self.balance = self.balance + v end
function Account:withdraw(v)
  if v > self.balance then error("insufficient funds") end
  self.balance = self.balance - v
end
local acc = Account:new()
acc:deposit(100)
print(acc.balance, Account.balance)
print(pcall(acc.withdraw, acc, 500))
local ok, err = pcall(function() acc:withdraw(500) end)
print(ok, err)
