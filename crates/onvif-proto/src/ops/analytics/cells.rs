//! The cell motion detector's `ActiveCells`: a bitmap of the layout's cells, one bit per cell,
//! row by row from the upper left, the most significant bit first, `1` for a cell that is
//! watched, the last byte padded with zeros; packed with PackBits (TIFF 6.0's run-length
//! coding, as the ONVIF Analytics Service specification requires) and written in base64.
//!
//! [`CellGrid`] is the grid itself; [`CellGrid::from_active_cells`] and
//! [`CellGrid::active_cells`] go to and from the parameter's value; [`CellGrid::parse_text`]
//! and [`CellGrid::text_rows`] to and from rows of `#` (watched) and `.` (ignored).

use base64::Engine;
use base64::engine::general_purpose::STANDARD as B64;
use serde::Serialize;

/// Why an `ActiveCells` value or a grid's text does not make a grid.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CellsError {
    /// Not base64.
    #[error("ActiveCells is not base64: {0}")]
    Base64(String),
    /// A PackBits literal run goes past the end of the data.
    #[error(
        "ActiveCells: a PackBits literal run of {wanted} bytes at byte {at} has only {left} left"
    )]
    Truncated {
        /// Where the run's header is.
        at: usize,
        /// The bytes it announces.
        wanted: usize,
        /// The bytes that follow it.
        left: usize,
    },
    /// A PackBits repeat run has no byte to repeat.
    #[error("ActiveCells: a PackBits repeat run at byte {at} has no byte to repeat")]
    NoRepeatByte {
        /// Where the run's header is.
        at: usize,
    },
    /// The unpacked bitmap is longer than the layout's cells.
    #[error("ActiveCells unpacks to more than the {expected} bytes a {columns}x{rows} grid takes")]
    Overrun {
        /// The bytes the grid takes.
        expected: usize,
        /// Columns of the layout.
        columns: u32,
        /// Rows of the layout.
        rows: u32,
    },
    /// The unpacked bitmap is shorter than the layout's cells.
    #[error("ActiveCells unpacks to {got} bytes; a {columns}x{rows} grid takes {expected}")]
    Short {
        /// The bytes unpacked.
        got: usize,
        /// The bytes the grid takes.
        expected: usize,
        /// Columns of the layout.
        columns: u32,
        /// Rows of the layout.
        rows: u32,
    },
    /// A grid of no cells, or of more than [`MAX_CELLS`].
    #[error("a {columns}x{rows} grid is not allowed (1 to {MAX_CELLS} cells)")]
    Size {
        /// Columns.
        columns: u32,
        /// Rows.
        rows: u32,
    },
    /// The text has another number of rows than the layout.
    #[error("the grid has {got} rows; the layout has {expected}")]
    Rows {
        /// Rows in the text.
        got: usize,
        /// Rows of the layout.
        expected: u32,
    },
    /// A row of the text has another number of cells than the layout's columns.
    #[error("line {line}: {got} cells; the layout has {expected} columns")]
    Columns {
        /// The line (from 1).
        line: usize,
        /// Cells on it.
        got: usize,
        /// Columns of the layout.
        expected: u32,
    },
    /// A character that is neither `#` nor `.`.
    #[error("line {line}, column {column}: {found:?} is not a cell (# for watched, . for ignored)")]
    Character {
        /// The line (from 1).
        line: usize,
        /// The column (from 1).
        column: usize,
        /// The character.
        found: char,
    },
}

/// The most cells a grid may have (cameras' grids are a few hundred).
pub const MAX_CELLS: u32 = 64 * 64;

/// The cells of a layout, watched (`true`) or not, row by row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CellGrid {
    columns: u32,
    rows: u32,
    cells: Vec<bool>,
}

/// Shown as its size and its rows of `#` and `.`.
impl Serialize for CellGrid {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        #[derive(Serialize)]
        struct Shown {
            columns: u32,
            rows: u32,
            grid: Vec<String>,
        }
        Shown {
            columns: self.columns,
            rows: self.rows,
            grid: self.text_rows(),
        }
        .serialize(s)
    }
}

impl CellGrid {
    /// A grid of `columns` x `rows` cells, none watched.
    pub fn new(columns: u32, rows: u32) -> Result<CellGrid, CellsError> {
        let n = columns.saturating_mul(rows);
        if n == 0 || n > MAX_CELLS {
            return Err(CellsError::Size { columns, rows });
        }
        Ok(CellGrid {
            columns,
            rows,
            cells: vec![false; n as usize],
        })
    }

    /// Every cell watched.
    pub fn full(columns: u32, rows: u32) -> Result<CellGrid, CellsError> {
        let mut g = CellGrid::new(columns, rows)?;
        g.cells.fill(true);
        Ok(g)
    }

    /// Cells across.
    pub fn columns(&self) -> u32 {
        self.columns
    }

    /// Cells down.
    pub fn rows(&self) -> u32 {
        self.rows
    }

    /// Is the cell at `column`, `row` (from 0) watched? Outside the grid: no.
    pub fn get(&self, column: u32, row: u32) -> bool {
        column < self.columns
            && row < self.rows
            && self.cells[(row * self.columns + column) as usize]
    }

    /// Watch (or not) the cell at `column`, `row`; outside the grid nothing changes.
    pub fn set(&mut self, column: u32, row: u32, on: bool) {
        if column < self.columns && row < self.rows {
            self.cells[(row * self.columns + column) as usize] = on;
        }
    }

    /// How many cells are watched.
    pub fn count(&self) -> usize {
        self.cells.iter().filter(|c| **c).count()
    }

    /// The bitmap: one bit per cell, most significant first, the last byte padded with zeros.
    pub fn to_bitmap(&self) -> Vec<u8> {
        let mut out = vec![0u8; self.cells.len().div_ceil(8)];
        for (i, _) in self.cells.iter().enumerate().filter(|(_, c)| **c) {
            out[i / 8] |= 0x80 >> (i % 8);
        }
        out
    }

    /// A grid from its bitmap, which must have exactly the bytes the grid takes.
    pub fn from_bitmap(columns: u32, rows: u32, bitmap: &[u8]) -> Result<CellGrid, CellsError> {
        let mut g = CellGrid::new(columns, rows)?;
        let expected = g.cells.len().div_ceil(8);
        if bitmap.len() != expected {
            return Err(CellsError::Short {
                got: bitmap.len(),
                expected,
                columns,
                rows,
            });
        }
        for (i, c) in g.cells.iter_mut().enumerate() {
            *c = bitmap[i / 8] & (0x80 >> (i % 8)) != 0;
        }
        Ok(g)
    }

    /// A grid from an `ActiveCells` value (base64 of the PackBits-packed bitmap).
    pub fn from_active_cells(columns: u32, rows: u32, value: &str) -> Result<CellGrid, CellsError> {
        let n = columns.saturating_mul(rows);
        if n == 0 || n > MAX_CELLS {
            return Err(CellsError::Size { columns, rows });
        }
        let packed = B64
            .decode(value.trim())
            .map_err(|e| CellsError::Base64(e.to_string()))?;
        let expected = (n as usize).div_ceil(8);
        let bitmap = unpack_bits(&packed, expected).map_err(|e| match e {
            CellsError::Overrun { .. } => CellsError::Overrun {
                expected,
                columns,
                rows,
            },
            e => e,
        })?;
        if bitmap.len() < expected {
            return Err(CellsError::Short {
                got: bitmap.len(),
                expected,
                columns,
                rows,
            });
        }
        CellGrid::from_bitmap(columns, rows, &bitmap)
    }

    /// The `ActiveCells` value: the bitmap packed with PackBits, in base64.
    pub fn active_cells(&self) -> String {
        B64.encode(pack_bits(&self.to_bitmap()))
    }

    /// Rows of `#` (watched) and `.` (ignored).
    pub fn text_rows(&self) -> Vec<String> {
        self.cells
            .chunks(self.columns as usize)
            .map(|r| r.iter().map(|c| if *c { '#' } else { '.' }).collect())
            .collect()
    }

    /// A grid from rows of `#` and `.`, which must match the layout. Blank lines at the end
    /// and spaces at the end of a line are ignored; anything else is an error naming its line
    /// and column.
    pub fn parse_text(columns: u32, rows: u32, text: &str) -> Result<CellGrid, CellsError> {
        let mut g = CellGrid::new(columns, rows)?;
        let lines: Vec<&str> = text.trim_end().lines().map(str::trim_end).collect();
        for (l, line) in lines.iter().enumerate() {
            for (c, ch) in line.chars().enumerate() {
                if ch != '#' && ch != '.' {
                    return Err(CellsError::Character {
                        line: l + 1,
                        column: c + 1,
                        found: ch,
                    });
                }
            }
        }
        if lines.len() != rows as usize {
            return Err(CellsError::Rows {
                got: lines.len(),
                expected: rows,
            });
        }
        for (r, line) in lines.iter().enumerate() {
            let n = line.chars().count();
            if n != columns as usize {
                return Err(CellsError::Columns {
                    line: r + 1,
                    got: n,
                    expected: columns,
                });
            }
            for (c, ch) in line.chars().enumerate() {
                g.set(c as u32, r as u32, ch == '#');
            }
        }
        Ok(g)
    }
}

/// PackBits: runs of 2 to 128 equal bytes as `1 - n` and the byte; other bytes in literal runs
/// of up to 128, as `n - 1` and the bytes.
pub fn pack_bits(data: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(data.len() + data.len() / 128 + 1);
    let mut i = 0;
    while i < data.len() {
        let b = data[i];
        let run = data[i..].iter().take(128).take_while(|x| **x == b).count();
        if run >= 2 {
            out.push((1 - run as i32) as i8 as u8);
            out.push(b);
            i += run;
            continue;
        }
        // A literal run: up to the next pair of equal bytes, at most 128.
        let start = i;
        while i < data.len() && i - start < 128 && !(i + 1 < data.len() && data[i] == data[i + 1]) {
            i += 1;
        }
        out.push((i - start - 1) as u8);
        out.extend_from_slice(&data[start..i]);
    }
    out
}

/// Undo [`pack_bits`]: at most `limit` bytes ([`CellsError::Overrun`] past it). A header of
/// -128 is skipped, as TIFF says.
pub fn unpack_bits(data: &[u8], limit: usize) -> Result<Vec<u8>, CellsError> {
    let overrun = || CellsError::Overrun {
        expected: limit,
        columns: 0,
        rows: 0,
    };
    let mut out = Vec::with_capacity(limit);
    let mut i = 0;
    while i < data.len() {
        let at = i;
        let h = data[i] as i8;
        i += 1;
        match h {
            0..=127 => {
                let n = h as usize + 1;
                let left = data.len() - i;
                if n > left {
                    return Err(CellsError::Truncated {
                        at,
                        wanted: n,
                        left,
                    });
                }
                if out.len() + n > limit {
                    return Err(overrun());
                }
                out.extend_from_slice(&data[i..i + n]);
                i += n;
            }
            -128 => {}
            _ => {
                let n = (1 - h as i32) as usize;
                let b = *data.get(i).ok_or(CellsError::NoRepeatByte { at })?;
                i += 1;
                if out.len() + n > limit {
                    return Err(overrun());
                }
                out.resize(out.len() + n, b);
            }
        }
    }
    Ok(out)
}
