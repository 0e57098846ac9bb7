import { parseHTML } from "linkedom";

/**
 * The few DOM members the cleaner and the extractor use. linkedom types its result with the browser's
 * DOM types, which this Node project does not load, so they would arrive as `any`: one typed door instead.
 */
export interface DomNode {
  nodeType: number;
  textContent: string | null;
  childNodes: ArrayLike<DomNode>;
}

export interface DomElement extends DomNode {
  localName: string;
  innerHTML: string;
  getAttribute(name: string): string | null;
  hasAttribute(name: string): boolean;
  querySelector(selector: string): DomElement | null;
  querySelectorAll(selector: string): ArrayLike<DomElement>;
}

export interface DomDocument {
  body: DomElement | null;
  documentElement: DomElement | null;
  createElement(tag: string): DomElement;
  querySelector(selector: string): DomElement | null;
}

export const TEXT_NODE = 3;
export const ELEMENT_NODE = 1;

/** Parses a whole HTML document (wrap fragments in <html><body> first: linkedom needs a documentElement). */
export function parseDocument(html: string): DomDocument {
  return (parseHTML(html) as unknown as { document: DomDocument }).document;
}
