/* Frames one after another, each pass 8 checks at a time (_bp_check_pass.h), where the graph allows it (included
 * once by _bp.c, after _bp_lanes.h). Unlike the frame lanes, a single frame fills all lanes, and a thread holds one
 * frame's LLRs and messages (4 bytes per variable and per edge) instead of eight. */

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

/* The variables a group of 8 checks reads at its k-th edges, encoded as _bp_groups.h says: first[row_pointer[8 q] /
 * 8 + k] (the offset of the group's messages) is v >= 0 where they are v .. v + 7, else -1 - w, and the row w of
 * wrapped is one aligned vector of indices. A pass reads 4 bytes of indices per 8 edges. */
typedef struct {
    int32_t *first;
    int32_t *wrapped;
} GroupVariables;

/* Scratch of decode_checks(), 32-byte aligned: LLRs, messages, the pass's vectors, the group variables. */
typedef struct {
    float *posterior;
    vf *messages;
    vf *work;
    GroupVariables variables;
} CheckScratch;

static void *aligned_bytes(size_t bytes) {
    return aligned_alloc(sizeof(vf), (bytes + sizeof(vf) - 1) / sizeof(vf) * sizeof(vf));
}

static void free_check_scratch(CheckScratch *s) {
    free(s->posterior), free(s->messages), free(s->work), free(s->variables.first), free(s->variables.wrapped);
}

/* Fill s->variables with encode_groups() of g (check_groups_qualify() holds, so group 8 q's entries start at
 * row_pointer[8 q] / 8); 0, or -1 (out of memory). */
static int group_variables(const Graph *g, CheckScratch *s) {
    const Py_ssize_t n_wrapped = encode_groups(g, s->variables.first, NULL);
    s->variables.wrapped = aligned_bytes(sizeof(int32_t) * LANES * (size_t)(n_wrapped + 1));
    if (!s->variables.wrapped) return -1;
    encode_groups(g, s->variables.first, s->variables.wrapped);
    return 0;
}

/* 0, or -1 with everything freed. */
static int alloc_check_scratch(CheckScratch *s, const FrameBatch *b, int max_degree) {
    s->posterior = aligned_bytes(sizeof(float) * (size_t)b->n_variables);
    s->messages = aligned_bytes(sizeof(float) * (size_t)b->n_edges);
    s->work = aligned_bytes(sizeof(vf) * 3 * (size_t)max_degree);
    s->variables.first = malloc(sizeof(int32_t) * (size_t)(b->n_edges / LANES + 1));
    s->variables.wrapped = NULL;
    if (s->posterior && s->messages && s->work && s->variables.first && group_variables(b->graph, s) == 0) return 0;
    free_check_scratch(s);
    return -1;
}

/* Decode every frame of b, each exactly as decode() decodes it. Runs without the GIL. */
static void decode_checks(const FrameBatch *b, CheckPass pass, int max_degree, CheckScratch *s) {
    const Graph *g = b->graph;
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
            int held, settled;
            pass(g->row_pointer, s->variables.first, s->variables.wrapped, g->n_checks, syndrome, s->posterior,
                 s->messages, s->work, max_degree, &held, &settled);
            done = pass_ends_decoding(held, settled, g, s->posterior, syndrome, 1);
        }
        b->iterations[frame] = used;
        b->converged[frame] = done || satisfies(g, s->posterior, syndrome, 1);
        for (Py_ssize_t v = 0; v < b->n_variables; v++) symbols[v] = s->posterior[v] < 0.0f;
    }
}
