// The list's fixed measures, plain data (the benchmark reads them too): one row height, so which rows are in view
// is arithmetic, never a measurement of the rows themselves.

/** Every row's height in px (library-grid.css sets the same through --row-height). */
export const ROW_HEIGHT = 34
/** The sticky column header inside the scrolling grid. */
export const HEADER_HEIGHT = 32
/** Rows rendered beyond each edge of the viewport. Rows are one fixed height, so a few is enough; fewer rows is less work per keystroke. */
export const OVERSCAN = 4
