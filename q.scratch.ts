import { LINE_RULES, splitDateline } from "./src/clean/rules.js";
const units = ["A ", "A, ", "A and ", "A/", "Ab-", "A in B ", "A de ", "AB.", "A; Editing by ", "Reporting by A ", "PHOTO: A ", "A & ", "@a "];
const prefixes = ["", "By ", "Reporting by ", "(Reporting by ", "Join ST's ", "Follow ", "Photo by ", "x PHOTO: ", "x Photograph: ", "Credit: ", "REUTERS/", "Download the "];
let worst = 0, worstCase = "";
for (const rule of LINE_RULES) for (const p of prefixes) for (const u of units) for (const tail of ["x", "!", ".", " lower"]) {
  let s = p; while (s.length + u.length < rule.maxLength - tail.length) s += u; s += tail;
  const t = performance.now(); rule.pattern.test(s); const d = performance.now() - t;
  if (d > worst) { worst = d; worstCase = rule.name + " :: " + s.slice(0, 80); }
}
console.log("worst ms", worst.toFixed(2), worstCase);
let t = performance.now();
for (const u of ["A ", "A, ", "A. ", "AB-"]) splitDateline(u.repeat(100) + "x");
console.log("dateline ms", (performance.now() - t).toFixed(2));
