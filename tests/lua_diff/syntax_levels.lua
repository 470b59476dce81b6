-- blocks and expressions share the 200 syntax levels limit
print(loadstring(string.rep("do ", 300) .. string.rep("end ", 300)))
print(type(loadstring(string.rep("do ", 150) .. string.rep("end ", 150))))
print(loadstring("return " .. string.rep("{", 300) .. string.rep("}", 300)))
print(type(loadstring("return " .. string.rep("(", 100) .. "1" .. string.rep(")", 100))))
print(loadstring("x = " .. string.rep("f(", 250) .. string.rep(")", 250)))
