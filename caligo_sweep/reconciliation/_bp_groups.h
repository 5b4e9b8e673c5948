/* Groups of 8 checks and the variables they read, for the syndrome and the check-lane decoder (included once by
 * _bp.c, after the Graph type).
 *
 * A quasi-cyclic code's checks 8 q .. 8 q + 7 (one circulant row, when the lifting size is a multiple of 8) have one
 * degree d, and away from a circulant's wrap their k-th edges read 8 consecutive variables v .. v + 7. The encoding
 * keeps one int32 per (group, k), in group order: v where the variables are consecutive, else -1 - w, and row w of
 * a small table holds the 8 variables (lane l's at wrapped[8 w + l]). Reading a group's k-th variables then takes
 * 4 bytes of indices per 8 edges, and a wrap reads one aligned row of the table instead of one index from each of
 * the other 7 checks' rows (other cache lines: measured to cost a fifth of the decoder's time and most of the
 * syndrome's). Groups whose checks differ in degree, and the last n_checks % 8 checks, get no entries.
 */

/* Checks c0 .. c0 + 7 all have degree d. */
static int same_degree(const Graph *g, Py_ssize_t c0, int64_t d) {
    for (int i = 0; i < 8; i++)
        if (g->row_pointer[c0 + i + 1] - g->row_pointer[c0 + i] != d) return 0;
    return 1;
}

/* Number of entries of the encoding of g (the edges of its groups of one degree, divided by 8). */
static Py_ssize_t group_entries(const Graph *g) {
    Py_ssize_t entries = 0;
    for (Py_ssize_t c0 = 0; c0 + 8 <= g->n_checks; c0 += 8) {
        const int64_t d = g->row_pointer[c0 + 1] - g->row_pointer[c0];
        if (same_degree(g, c0, d)) entries += (Py_ssize_t)d;
    }
    return entries;
}

/* Writes the encoding's group_entries(g) entries into first and, unless wrapped is NULL, the table rows into
 * wrapped (8 int32 per row); returns the number of rows. */
static Py_ssize_t encode_groups(const Graph *g, int32_t *first, int32_t *wrapped) {
    Py_ssize_t n_wrapped = 0;
    for (Py_ssize_t c0 = 0; c0 + 8 <= g->n_checks; c0 += 8) {
        const int64_t start = g->row_pointer[c0], d = g->row_pointer[c0 + 1] - start;
        if (!same_degree(g, c0, d)) continue;
        for (int64_t k = 0; k < d; k++) {
            const int32_t v = g->column_index[start + k];
            int consecutive = 1;
            for (int lane = 1; lane < 8; lane++) consecutive &= g->column_index[start + lane * d + k] == v + lane;
            if (consecutive) {
                *first++ = v;
                continue;
            }
            for (int lane = 0; lane < 8 && wrapped; lane++)
                wrapped[8 * n_wrapped + lane] = g->column_index[start + lane * d + k];
            *first++ = (int32_t)(-1 - n_wrapped++);
        }
    }
    return n_wrapped;
}

static uint8_t check_parity(const Graph *g, const uint8_t *bits, Py_ssize_t check) {
    uint8_t parity = 0;
    for (int64_t k = g->row_pointer[check]; k < g->row_pointer[check + 1]; k++) parity ^= bits[g->column_index[k]];
    return parity & 1;
}

/* out = H bits mod 2 (bits: uint8 0/1) with the encoding first / wrapped of g: one 8-byte load serves 8 checks'
 * k-th edges where the variables are consecutive (byte l of the XOR is check c0 + l's, on any byte order), one
 * table row where not. The caller checked that every entry reads inside bits. */
static void syndrome_of_groups(const Graph *g, const uint8_t *bits, const int32_t *first, const int32_t *wrapped,
                               uint8_t *out) {
    Py_ssize_t c0 = 0;
    for (; c0 + 8 <= g->n_checks; c0 += 8) {
        const int64_t d = g->row_pointer[c0 + 1] - g->row_pointer[c0];
        if (!same_degree(g, c0, d)) {
            for (int i = 0; i < 8; i++) out[c0 + i] = check_parity(g, bits, c0 + i);
            continue;
        }
        uint64_t together = 0;
        for (int64_t k = 0; k < d; k++) {
            uint64_t word;
            if (first[k] >= 0) {
                memcpy(&word, bits + first[k], sizeof word);
            } else {
                const int32_t *lanes = wrapped + 8 * (-1 - (Py_ssize_t)first[k]);
                uint8_t row[8];
                for (int lane = 0; lane < 8; lane++) row[lane] = bits[lanes[lane]];
                memcpy(&word, row, sizeof word);
            }
            together ^= word;
        }
        first += d;
        uint8_t bytes[8];
        memcpy(bytes, &together, sizeof bytes);
        for (int i = 0; i < 8; i++) out[c0 + i] = bytes[i] & 1;
    }
    for (; c0 < g->n_checks; c0++) out[c0] = check_parity(g, bits, c0);
}
