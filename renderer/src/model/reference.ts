// Whether a typed image name is one the engine takes as a tag: lower-case
// path components ([registry/]name), an optional :tag.

const component = '[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*';
const pattern = new RegExp(`^(?:[a-zA-Z0-9.-]+(?::\\d+)?/)?${component}(?:/${component})*(?::[\\w][\\w.-]{0,127})?$`);

export function isReference(text: string): boolean {
  return text.length <= 255 && pattern.test(text);
}
