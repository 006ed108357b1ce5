// Strings: building, charCodeAt scanning, parsing integers back, split and join.
export function run(n: i32): i32 {
  let sum = 0;
  for (let r = 0; r < n; r++) {
    let text = "";
    for (let i = 0; i < 20; i++) text += (r * 31 + i * 7).toString() + ",";
    let value = 0;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c >= 48 && c <= 57) value = value * 10 + (c - 48);
      else { sum += value; value = 0; }
    }
    const parts = text.split(",");
    sum += parts.length + I32.parseInt(parts[r % 20]);
    if ((r & 15) == 0) sum += parts.join("-").length;
  }
  return sum;
}
