/**
 * JSON's syntax as byte values, named once for the readers that work on a body's bytes (the
 * number scan, the number reader, the long-string cutter, the depth check).
 */
export const QUOTE = 0x22
export const BACKSLASH = 0x5c
export const COMMA = 0x2c
export const COLON = 0x3a
export const OPEN_BRACKET = 0x5b
export const CLOSE_BRACKET = 0x5d
export const OPEN_BRACE = 0x7b
export const CLOSE_BRACE = 0x7d
export const DIGIT_0 = 0x30
export const DIGIT_9 = 0x39
export const MINUS = 0x2d
export const PLUS = 0x2b
export const DOT = 0x2e
export const LOWER_E = 0x65
export const UPPER_E = 0x45
/** JSON's four whitespace bytes: space, tab, line feed, carriage return */
export const isJsonSpace = (b: number | undefined): boolean => b === 0x20 || b === 0x09 || b === 0x0a || b === 0x0d
