import { describe, expect, it } from "vitest";
import { sentenceEnds, splitSentences } from "../../src/summarize/sentences.js";

describe("splitSentences", () => {
  it.each([
    ["empty string", "", []],
    ["only whitespace", " \n\t ", []],
    ["one sentence", "The minister resigned.", ["The minister resigned."]],
    ["no final punctuation", "The minister resigned", ["The minister resigned"]],
    ["two sentences", "The minister resigned. His deputy took over.", ["The minister resigned.", "His deputy took over."]],
    ["question and exclamation", "Is it true? Yes! Really?! Maybe.", ["Is it true?", "Yes!", "Really?!", "Maybe."]],
    [
      "titles",
      "Mr. Smith met Mrs. Lee, Ms. Tan and Dr. Jones at St. Paul's. They talked.",
      ["Mr. Smith met Mrs. Lee, Ms. Tan and Dr. Jones at St. Paul's.", "They talked."],
    ],
    [
      "ranks",
      "Gov. Newsom, Sen. Warren, Rep. Pelosi, Gen. Milley, Lt. Col. Vindman and Prof. Jones met. It was brief.",
      ["Gov. Newsom, Sen. Warren, Rep. Pelosi, Gen. Milley, Lt. Col. Vindman and Prof. Jones met.", "It was brief."],
    ],
    [
      "dotted acronyms before a name",
      "The U.S. President and the U.K. Prime Minister met U.N. and E.U. officials. Talks ended.",
      ["The U.S. President and the U.K. Prime Minister met U.N. and E.U. officials.", "Talks ended."],
    ],
    [
      "dotted acronym ending a sentence",
      "Growth slowed in the U.K. The Bank of England said so.",
      ["Growth slowed in the U.K.", "The Bank of England said so."],
    ],
    [
      "months",
      "On Jan. 3, Feb. 14 and Sept. 11 nothing happened. Then Dec. 25 came.",
      ["On Jan. 3, Feb. 14 and Sept. 11 nothing happened.", "Then Dec. 25 came."],
    ],
    ["No. and vs.", "No. 10 said Arsenal vs. Chelsea was off. Fans left.", ["No. 10 said Arsenal vs. Chelsea was off.", "Fans left."]],
    [
      "e.g. i.e. etc.",
      "Fruit, e.g. apples, i.e. Fuji, etc. are cheap. Prices fell.",
      ["Fruit, e.g. apples, i.e. Fuji, etc. are cheap.", "Prices fell."],
    ],
    [
      "company suffixes",
      "Apple Inc. said Acme Ltd. and Smith & Co. Chief Executive Jo Lee would join. It agreed.",
      ["Apple Inc. said Acme Ltd. and Smith & Co. Chief Executive Jo Lee would join.", "It agreed."],
    ],
    [
      "company suffix ending a sentence",
      "The deal was signed by Apple Inc. The shares rose.",
      ["The deal was signed by Apple Inc.", "The shares rose."],
    ],
    [
      "initials",
      "J. K. Rowling and George R. R. Martin spoke. Fans cheered.",
      ["J. K. Rowling and George R. R. Martin spoke.", "Fans cheered."],
    ],
    [
      "decimals",
      "Growth was 3.5 per cent, up from 2.1. Inflation was 0.4%.",
      ["Growth was 3.5 per cent, up from 2.1.", "Inflation was 0.4%."],
    ],
    [
      "a.m. and p.m.",
      "He arrived at 10 a.m. on Monday and left at 5 p.m. The meeting was short.",
      ["He arrived at 10 a.m. on Monday and left at 5 p.m.", "The meeting was short."],
    ],
    ["ellipsis mid-sentence", "He said... nothing at all. Then he left.", ["He said... nothing at all.", "Then he left."]],
    [
      "ellipsis ending a sentence",
      "He paused... Then he left… And he never came back.",
      ["He paused...", "Then he left…", "And he never came back."],
    ],
    [
      "parenthetical date",
      "A spokesman on Saturday (July 10) expressed outrage. He left.",
      ["A spokesman on Saturday (July 10) expressed outrage.", "He left."],
    ],
    [
      "sentence in parentheses",
      "He left. (The company declined to comment.) Then it rained.",
      ["He left.", "(The company declined to comment.)", "Then it rained."],
    ],
    ["quote then attribution", '"It is a pack of lies," he said. "We oppose it."', ['"It is a pack of lies," he said.', '"We oppose it."']],
    [
      "quote ending a sentence",
      'The report is "full of lies." The spokesman left.',
      ['The report is "full of lies."', "The spokesman left."],
    ],
    ["curly quotes", "“It is over.” She left. ‘Fine,’ he said.", ["“It is over.”", "She left.", "‘Fine,’ he said."]],
    ["question inside quote", '"Is it over?" he asked. Nobody replied.', ['"Is it over?" he asked.', "Nobody replied."]],
    ["URLs and domains", "Visit example.com for details. Or call.", ["Visit example.com for details.", "Or call."]],
    ["U.S.-China", "U.S.-China talks resumed. Markets rose.", ["U.S.-China talks resumed.", "Markets rose."]],
    ["numbers starting a sentence", "He was born in 1990. 2020 was hard.", ["He was born in 1990.", "2020 was hard."]],
    ["CJK punctuation", "北京今天下雨。明天会晴吗？会的！", ["北京今天下雨。", "明天会晴吗？", "会的！"]],
    ["CJK with closing quote", "他说：「我们反对。」记者离开了。", ["他说：「我们反对。」", "记者离开了。"]],
    ["Japanese", "東京は晴れです。大阪は雨です。", ["東京は晴れです。", "大阪は雨です。"]],
    [
      "RTL Arabic",
      "قالت الحكومة إن المحادثات ستستأنف. وقال الوزير إنه متفائل.",
      ["قالت الحكومة إن المحادثات ستستأنف.", "وقال الوزير إنه متفائل."],
    ],
    ["Arabic question mark", "هل انتهى؟ نعم.", ["هل انتهى؟", "نعم."]],
    ["emoji", "Fire at the port 🔥. Crews 👩‍🚒 responded!", ["Fire at the port 🔥.", "Crews 👩‍🚒 responded!"]],
    [
      "line breaks before a capital",
      "Paperback: 154 pages\nPublisher: Strange Animal",
      ["Paperback: 154 pages", "Publisher: Strange Animal"],
    ],
    ["hard-wrapped line", "The minister said\nthat he would resign.", ["The minister said that he would resign."]],
    ["whitespace collapsed", "  One.   Two\t\tthree.  ", ["One.", "Two three."]],
  ])("%s", (_name, text, expected) => {
    expect(splitSentences(text)).toEqual(expected);
  });

  it("handles a 10,000-character line with no punctuation", () => {
    const long = "word ".repeat(2000).trim();
    expect(splitSentences(long)).toEqual([long]);
  });

  it("handles 10,000 periods", () => {
    expect(splitSentences("A. ".repeat(3000)).length).toBe(1);
    expect(splitSentences("Go. ".repeat(3000)).length).toBe(3000);
  });

  it("sentenceEnds are offsets into the original text, the last one at its end", () => {
    const text = "One.  Two.\nThree";
    expect(sentenceEnds(text)).toEqual([4, 10, text.length]);
    expect(sentenceEnds("")).toEqual([]);
  });
});
