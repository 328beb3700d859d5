/**
 * SVG figures of a small job, in the style of Dive into Deep Learning's ch. 6 figures. Imports
 * only src/core, so the same code can draw in a worker, a route or a script.
 */
export { renderConvFigure } from './conv-figure.js'
export { renderConvTransposeFigure } from './conv-transpose-figure.js'
export { renderPoolFigure } from './pool-figure.js'
export { assertFigurable, parseHighlight, FIGURE_MAX_PLANE, FIGURE_MAX_CHANNELS } from './limits.js'
