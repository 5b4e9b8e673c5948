/* Frames one after another, each pass 8 checks at a time (_bp_check_pass.h), where the graph allows it (included
 * once by _bp.c, after _bp_lanes.h). Unlike the frame lanes, a single frame fills all lanes, and a thread holds one
 * frame's LLRs and messages (4 bytes per variable and per edge) instead of eight. */

static int same_degree(const Graph *g, Py_ssize_t c0, int64_t d);
static void mark_consecutive(const Graph *g, uint8_t *flags, Py_ssize_t n_edges);

/* Whether every group of checks 8 q .. 8 q + 7 has one degree and reads no variable twice, so that
 * _bp_check_pass.h may update its checks together; stamp: n_variables int64 of scratch. */
static int check_groups_qualify(const Graph *g, Py_ssize_t n_variables, int64_t *stamp) {
    if (g->n_checks % LANES) return 0;
    for (Py_ssize_t v = 0; v < n_variables; v++) stamp[v] = -1;
    for (Py_ssize_t first = 0; first < g->n_checks; first += LANES) {
        if (!same_degree(g, first, g->row_pointer[first + 1] - g->row_pointer[first])) return 0;
        for (int64_t edge = g->row_pointer[first]; edge < g->row_pointer[first + LANES]; edge++) {
            const int32_t v = g->column_index[edge];
            if (stamp[v] == first) return 0;
            stamp[v] = first;
        }
    }
    return 1;
}

/* Scratch of decode_checks(), 32-byte aligned: LLRs, messages, the pass's vectors, the consecutive flags, the
 * column indices in the messages' group layout. */
typedef struct {
    float *posterior;
    vf *messages;
    vf *work;
    uint8_t *consecutive;
    int32_t *grouped_columns;
} CheckScratch;

static void *aligned_bytes(size_t bytes) {
    return aligned_alloc(sizeof(vf), (bytes + sizeof(vf) - 1) / sizeof(vf) * sizeof(vf));
}

static void free_check_scratch(CheckScratch *s) {
    free(s->posterior), free(s->messages), free(s->work), free(s->consecutive), free(s->grouped_columns);
}

/* 0, or -1 with everything freed. */
static int alloc_check_scratch(CheckScratch *s, const FrameBatch *b, int max_degree) {
    s->posterior = aligned_bytes(sizeof(float) * (size_t)b->n_variables);
    s->messages = aligned_bytes(sizeof(float) * (size_t)b->n_edges);
    s->work = aligned_bytes(sizeof(vf) * 5 * (size_t)max_degree);
    s->consecutive = malloc((size_t)b->n_edges + 1);
    s->grouped_columns = aligned_bytes(sizeof(int32_t) * (size_t)b->n_edges);
    if (s->posterior && s->messages && s->work && s->consecutive && s->grouped_columns) return 0;
    free_check_scratch(s);
    return -1;
}

/* grouped[row_pointer[8 q] + 8 k + l] = the variable of edge k of check 8 q + l, the layout of the check pass's
 * messages: the 8 variables a group reads at its k-th edges are one aligned vector of indices, whether or not they
 * are consecutive (a wrap-around group then needs no index from another lane's cache lines). */
static void group_columns(const Graph *g, int32_t *grouped) {
    for (Py_ssize_t first = 0; first < g->n_checks; first += LANES) {
        const int64_t start = g->row_pointer[first], degree = g->row_pointer[first + 1] - start;
        for (int64_t k = 0; k < degree; k++)
            for (int lane = 0; lane < LANES; lane++)
                grouped[start + LANES * k + lane] = g->column_index[start + lane * degree + k];
    }
}

/* Decode every frame of b, each exactly as decode() decodes it. Runs without the GIL. */
static void decode_checks(const FrameBatch *b, CheckPass pass, int max_degree, CheckScratch *s) {
    const Graph *g = b->graph;
    mark_consecutive(g, s->consecutive, b->n_edges);
    group_columns(g, s->grouped_columns);
    for (Py_ssize_t frame = 0; frame < b->n_frames; frame++) {
        uint8_t *symbols = b->frames + frame * b->n_variables;
        const uint8_t *syndrome = b->syndromes + frame * g->n_checks;
        const float magnitude = b->magnitude[frame];
        for (Py_ssize_t v = 0; v < b->n_variables; v++)
            s->posterior[v] = symbols[v] == KNOWN_SYMBOL ? b->known_llr : symbols[v] ? -magnitude : magnitude;
        memset(s->messages, 0, sizeof(float) * (size_t)b->n_edges);
        long used = 0;
        int done = 0;
        while (used < b->max_iterations && !done) {
            used++;
            done = pass(g->row_pointer, s->grouped_columns, s->consecutive, g->n_checks, syndrome, s->posterior,
                        s->messages, s->work, max_degree);
        }
        b->iterations[frame] = used;
        b->converged[frame] = done || satisfies(g, s->posterior, syndrome, 1);
        for (Py_ssize_t v = 0; v < b->n_variables; v++) symbols[v] = s->posterior[v] < 0.0f;
    }
}
