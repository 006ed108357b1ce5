// Strings: builds strings from numbers and pieces (concatenation, template
// literals, toString, substring, replace, split and join), hashes their
// characters. Exercises the allocator and the garbage collector. Returns the
// hash.

function hash(text: string, h: u32): u32 {
  for (let i = 0; i < text.length; i++) h = (h ^ <u32>text.charCodeAt(i)) * 16777619;
  return h;
}

export function run(n: i32): i32 {
  let h: u32 = 2166136261;
  let line = "";
  for (let i = 0; i < n; i++) {
    const word = "item-" + i.toString() + ":" + (i * 31 % 977).toString(16);
    line = line.length > 200 ? word : line + "," + word;
    h = hash(word, h);
    if ((i & 15) == 0) {
      const parts = line.split(",");
      h = hash(parts.join(";").replace("item", "x"), h);
      h = hash(line.substring(line.length >> 2, line.length >> 1), h);
      h ^= <u32>parts.length;
    }
  }
  return <i32>h;
}
