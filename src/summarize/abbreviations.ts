/**
 * Words that end in a period without ending the sentence. Case-sensitive: "No. 10" is an
 * abbreviation, "the answer was no." is not. Stored without their final period.
 */

/** Never a sentence end: titles, months, reference words ("Mr. Smith", "Jan. 3", "No. 10", "e.g. this"). */
export const NEVER_ENDS_SENTENCE: ReadonlySet<string> = new Set([
  // titles and ranks
  "Mr", "Mrs", "Ms", "Messrs", "Mme", "Mlle", "Dr", "Prof", "St", "Ste", "Mt", "Ft", "Gen", "Lt", "Col",
  "Maj", "Capt", "Cmdr", "Cdr", "Sgt", "Cpl", "Pte", "Adm", "Brig", "Gov", "Sen", "Rep", "Reps", "Rev",
  "Hon", "Pres", "Supt", "Insp", "Det", "Atty", "Fr", "Sr", "Jr",
  // months
  "Jan", "Feb", "Mar", "Apr", "Jun", "Jul", "Aug", "Sep", "Sept", "Oct", "Nov", "Dec",
  // references
  "No", "Nos", "Nr", "vs", "v", "e.g", "i.e", "cf", "approx", "Fig", "fig", "Vol", "vol", "pp", "p", "ca",
]);

/**
 * May end a sentence ("… bought by Apple Inc. The deal …") but usually does not
 * ("Apple Inc. said …", "the U.S. economy"). Dotted acronyms such as "U.S.", "U.K.", "U.N.", "E.U.",
 * "a.m." are treated the same way (see `isDottedAcronym`). They end a sentence only when the next
 * word is a typical sentence opener (`SENTENCE_OPENERS`).
 */
export const MAY_END_SENTENCE: ReadonlySet<string> = new Set([
  "etc", "Inc", "Ltd", "Co", "Corp", "Bros", "Plc", "PLC", "LLC", "Pty", "Bhd", "AG", "SA",
]);

/** Words that open a new sentence far more often than they continue a name ("the U.S. The …"). */
export const SENTENCE_OPENERS: ReadonlySet<string> = new Set([
  "The", "A", "An", "This", "That", "These", "Those", "It", "Its", "He", "She", "They", "We", "I", "You",
  "His", "Her", "Their", "Our", "My", "But", "And", "Or", "So", "Yet", "However", "In", "On", "At", "As",
  "If", "When", "While", "After", "Before", "Meanwhile", "There", "Here", "Some", "Many", "Most", "Also",
  "Still", "Now", "Then", "Since", "Although", "Despite", "According",
]);

/** "U.S", "U.K", "E.U", "a.m", "J.K" (the final period is not part of the word). */
export function isDottedAcronym(word: string): boolean {
  return /^(?:\p{L}\.)+\p{L}$/u.test(word);
}
