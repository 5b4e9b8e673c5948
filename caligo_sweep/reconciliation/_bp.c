/* Layered sum-product syndrome decoding on the binary symmetric channel (the kernel of decoder.py).
 *
 * Messages are log-likelihood ratios log P(x_v = 0) / P(x_v = 1) in float32. A check c with syndrome bit s_c sends
 * (sum-product rule [1])
 *
 *     R_cv = (-1)^(s_c) * prod_{u != v} sign(T_cu) * phi( sum_{u != v} phi(|T_cu|) ),  phi(t) = log((e^t+1)/(e^t-1)),
 *
 * with T_cu = L_u - R_cu. The schedule is layered (check by check, posteriors L updated at once [2]). Decoding stops
 * after the first pass in which every check holds right after its own update and then either no hard decision
 * flipped (so the signs every check saw are the final ones) or, tested then by one sweep over the edges, all checks
 * hold at the end of the pass: the hard decision meets the syndrome. The second case stops a converging frame one
 * pass earlier than the first alone, which costs a confirming pass. The loop runs without the GIL: frames decode in
 * parallel threads.
 *
 * phi is tabulated on a grid uniform in log2(t): the float's bit pattern, shifted right, indexes PHI_POINTS_PER_OCTAVE
 * points per octave of t from 2^PHI_MIN_EXPONENT to 2^PHI_MAX_EXPONENT, and its low mantissa bits are the weight of
 * linear interpolation in t. phi(t) ~ log(2/t) for small t and 2 e^-t for large t, so the relative error stays below
 * about 1e-4 wherever messages carry information (measured in the tests against the closed form), where a grid
 * uniform in t or sqrt(t) is off by tens of percent below t ~ 1e-4: that made checks whose other inputs are all
 * reliable send overconfident messages (24 nats instead of 14.5 at t = 1e-6) and left about 1 % of frames stuck on
 * wrong bits whatever the noise. The sum over "all inputs but v" is formed from prefix and suffix sums, never as the
 * total minus phi(|T_cv|), which loses every digit when one input is unreliable (phi ~ 40) and the rest are not.
 *
 * decode() is the single-frame kernel; decode_frames() (_bp_lanes.h) runs 8 frames at once through SIMD lanes, each
 * lane doing decode()'s operations on its frame, so both give the same bits (tested).
 *
 * Built with -O3 -fno-math-errno -ffp-contract=off (no fused multiply-add: the same bits on x86_64 and aarch64).
 *
 * [1] F. R. Kschischang, B. J. Frey, H.-A. Loeliger, "Factor graphs and the sum-product algorithm",
 *     IEEE Trans. Inf. Theory 47, 498 (2001).
 * [2] D. E. Hocevar, "A reduced complexity decoder architecture via layered decoding of LDPC codes", IEEE SiPS 2004.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    const int64_t *row_pointer; /* check c owns edges row_pointer[c] .. row_pointer[c + 1] - 1 */
    const int32_t *column_index; /* variable of each edge */
    Py_ssize_t n_checks;
    const uint8_t *syndrome;
} Graph;

#define PHI_MIN_EXPONENT (-60) /* t below 2^-60 counts as 2^-60: phi = 42.3, beyond any message that matters */
#define PHI_MAX_EXPONENT 6     /* t above 2^6 counts as 2^6: phi(64) = 3e-28, i.e. no information */
#define PHI_OCTAVE_BITS 6
#define PHI_POINTS_PER_OCTAVE (1 << PHI_OCTAVE_BITS)
#define PHI_SHIFT (23 - PHI_OCTAVE_BITS) /* float mantissa bits below the table index */
#define PHI_SIZE ((PHI_MAX_EXPONENT - PHI_MIN_EXPONENT) * PHI_POINTS_PER_OCTAVE + 1)
/* table index of t = 2^PHI_MIN_EXPONENT: its biased exponent, followed by PHI_OCTAVE_BITS zero mantissa bits */
#define PHI_FIRST_INDEX ((PHI_MIN_EXPONENT + 127) * PHI_POINTS_PER_OCTAVE)

static float phi_table[PHI_SIZE]; /* phi at the float whose bits are (PHI_FIRST_INDEX + i) << PHI_SHIFT */

static void build_phi_table(void) {
    for (int i = 0; i < PHI_SIZE; i++) {
        uint32_t bits = (uint32_t)(PHI_FIRST_INDEX + i) << PHI_SHIFT;
        float t;
        memcpy(&t, &bits, sizeof t);
        phi_table[i] = (float)log1p(2.0 / expm1((double)t));
    }
}

/* out[k] = phi(t[k]) from the table (see the header); t <= 0 counts as 2^PHI_MIN_EXPONENT. A separate loop over
 * contiguous arrays, so the compiler vectorises it. */
static void phi_many(const float *restrict t, float *restrict out, int count) {
    const float weight_unit = 1.0f / (float)(1 << PHI_SHIFT);
    for (int k = 0; k < count; k++) {
        float value = t[k] > 0.0f ? t[k] : 0.0f;
        uint32_t bits;
        memcpy(&bits, &value, sizeof bits);
        int32_t index = (int32_t)(bits >> PHI_SHIFT) - PHI_FIRST_INDEX;
        float weight = (float)(bits & ((1u << PHI_SHIFT) - 1u)) * weight_unit;
        weight = index < 0 ? 0.0f : (index > PHI_SIZE - 2 ? 1.0f : weight);
        index = index < 0 ? 0 : (index > PHI_SIZE - 2 ? PHI_SIZE - 2 : index);
        out[k] = phi_table[index] + weight * (phi_table[index + 1] - phi_table[index]);
    }
}

/* -x if flip else x, by the sign bit: a branch on random signs would be mispredicted half of the time. */
static inline float negate_if(float x, int flip) {
    uint32_t bits;
    memcpy(&bits, &x, sizeof bits);
    bits ^= (uint32_t)flip << 31;
    memcpy(&x, &bits, sizeof bits);
    return x;
}

/* Whether the hard decision satisfies every check: posterior[v * stride] is variable v's LLR and
 * syndrome[c * stride] check c's bit (stride 1 for one frame, LANES for one lane of decode_frames()). */
static int satisfies(const Graph *g, const float *posterior, const uint8_t *syndrome, Py_ssize_t stride) {
    for (Py_ssize_t check = 0; check < g->n_checks; check++) {
        int parity = syndrome[check * stride] != 0;
        for (int64_t k = g->row_pointer[check]; k < g->row_pointer[check + 1]; k++)
            parity ^= posterior[g->column_index[k] * stride] < 0.0f;
        if (parity) return 0;
    }
    return 1;
}

/* The stopping rule (see the header) after a pass in which every check held right after its own update (held) and
 * no hard decision changed (settled): the decision at the end of the pass is final when both hold, or when checks
 * held and it meets the syndrome (one sweep over the edges, only then). */
static int pass_ends_decoding(int held, int settled, const Graph *g, const float *posterior, const uint8_t *syndrome,
                              Py_ssize_t stride) {
    return held && (settled || satisfies(g, posterior, syndrome, stride));
}

/* One decoding; posterior holds the channel LLRs on entry and the final LLRs on return. Scratch: check_messages
 * (one per edge, zeroed here) and four arrays of the largest row degree. Returns the passes used. */
static long decode(const Graph *g, float *restrict posterior, float *restrict check_messages, float *restrict scratch,
                   int max_degree, long max_iterations, int *converged) {
    const int64_t *restrict row_pointer = g->row_pointer;
    const int32_t *restrict column_index = g->column_index;
    const uint8_t *restrict syndrome = g->syndrome;
    const Py_ssize_t n_checks = g->n_checks;
    /* per edge of the current check: T_cv, |T_cv| (then the phi sum of the others), phi(|T_cv|), |R_cv| */
    float *restrict incoming = scratch, *restrict argument = scratch + max_degree;
    float *restrict incoming_phi = scratch + 2 * max_degree, *restrict magnitude = scratch + 3 * max_degree;
    memset(check_messages, 0, sizeof(float) * (size_t)row_pointer[n_checks]);
    long iterations = 0;
    int done = 0;
    while (iterations < max_iterations && !done) {
        iterations++;
        int flipped = 0;
        Py_ssize_t unsatisfied = 0;
        for (Py_ssize_t check = 0; check < n_checks; check++) {
            const int64_t start = row_pointer[check];
            const int degree = (int)(row_pointer[check + 1] - start);
            const int32_t *restrict variables = column_index + start;
            float *restrict messages = check_messages + start;
            int negative = syndrome[check] != 0;
            for (int k = 0; k < degree; k++) {
                incoming[k] = posterior[variables[k]] - messages[k];
                argument[k] = fabsf(incoming[k]);
                negative ^= incoming[k] < 0.0f;
            }
            phi_many(argument, incoming_phi, degree);
            float before = 0.0f, after = 0.0f; /* sums of phi over the edges before and after k */
            for (int k = 0; k < degree; k++) {
                argument[k] = before;
                before += incoming_phi[k];
            }
            for (int k = degree - 1; k >= 0; k--) {
                argument[k] += after;
                after += incoming_phi[k];
            }
            phi_many(argument, magnitude, degree);
            int parity = syndrome[check] != 0;
            for (int k = 0; k < degree; k++) {
                float outgoing = negate_if(magnitude[k], negative ^ (incoming[k] < 0.0f));
                messages[k] = outgoing;
                float updated = incoming[k] + outgoing;
                flipped |= (posterior[variables[k]] < 0.0f) != (updated < 0.0f);
                parity ^= updated < 0.0f;
                posterior[variables[k]] = updated;
            }
            unsatisfied += parity;
        }
        done = pass_ends_decoding(unsatisfied == 0, !flipped, g, posterior, g->syndrome, 1);
    }
    *converged = done || satisfies(g, posterior, g->syndrome, 1);
    return iterations;
}

#include "_bp_groups.h"
#include "_bp_lanes.h"
#include "_bp_check_lanes.h"

/* The arrays decode() takes: argument name, item size [bytes], struct-format codes accepted, written to. */
static const struct {
    const char *name;
    Py_ssize_t itemsize;
    const char *kinds;
    int writable;
} ARRAYS[] = {
    {"row_pointer", 8, "lq", 0}, {"column_index", 4, "i", 0}, {"channel_llr", 4, "f", 0},
    {"syndrome", 1, "B", 0},     {"posterior", 4, "f", 1},
};
enum { ROWS, COLUMNS, LLR, SYNDROME, POSTERIOR, N_ARRAYS };

/* A C-contiguous buffer of ndim dimensions, item size and format code, or -1 with a ValueError. */
static int get_buffer(PyObject *object, Py_buffer *view, const char *name, int ndim, Py_ssize_t itemsize,
                      const char *kinds, int writable) {
    if (PyObject_GetBuffer(object, view, PyBUF_C_CONTIGUOUS | PyBUF_FORMAT | (writable ? PyBUF_WRITABLE : 0)) < 0)
        return -1;
    const char *format = view->format ? view->format : "B";
    if (*format == '<' || *format == '=' || *format == '@') format++;
    if (view->ndim != ndim || view->itemsize != itemsize || strlen(format) != 1 || !strchr(kinds, *format)) {
        PyErr_Format(PyExc_ValueError, "%s: expected a contiguous %d-D array of %zd-byte items '%s'", name, ndim,
                     itemsize, kinds);
        PyBuffer_Release(view);
        return -1;
    }
    return 0;
}

/* A C-contiguous 1-D buffer of ARRAYS[which], or -1 with a ValueError. */
static int get_array(PyObject *object, Py_buffer *view, int which) {
    return get_buffer(object, view, ARRAYS[which].name, 1, ARRAYS[which].itemsize, ARRAYS[which].kinds,
                      ARRAYS[which].writable);
}

/* row_pointer spans n_edges edges, or -1 with a ValueError. */
static int check_rows(const Graph *g, Py_ssize_t n_edges) {
    if (g->n_checks < 1) {
        PyErr_SetString(PyExc_ValueError, "the graph needs at least one check");
        return -1;
    }
    if (g->row_pointer[0] != 0 || g->row_pointer[g->n_checks] != n_edges) {
        PyErr_SetString(PyExc_ValueError, "row_pointer must start at 0 and end at the number of edges");
        return -1;
    }
    for (Py_ssize_t check = 0; check < g->n_checks; check++)
        if (g->row_pointer[check + 1] < g->row_pointer[check]) {
            PyErr_SetString(PyExc_ValueError, "row_pointer must not decrease");
            return -1;
        }
    return 0;
}

/* Whether the indices of edges from .. to - 1 lie in [0, n_variables): one 32-bit unsigned comparison per edge
 * (negative indices wrap above the limit), no early exit, so the loop vectorises. */
static int columns_in_range(const int32_t *column_index, int64_t from, int64_t to, Py_ssize_t n_variables) {
    const uint32_t limit = n_variables > INT32_MAX ? (uint32_t)INT32_MAX + 1u : (uint32_t)n_variables;
    uint32_t out_of_range = 0;
    for (int64_t k = from; k < to; k++) out_of_range |= (uint32_t)column_index[k] >= limit;
    return !out_of_range;
}

/* row_pointer spans n_edges edges and every index stays inside the n_variables (the kernels do no bounds checks). */
static int check_graph(const Graph *g, Py_ssize_t n_edges, Py_ssize_t n_variables) {
    if (check_rows(g, n_edges) < 0) return -1;
    if (!columns_in_range(g->column_index, 0, n_edges, n_variables)) {
        PyErr_SetString(PyExc_ValueError, "column_index out of range of the channel LLRs");
        return -1;
    }
    return 0;
}

/* Checks the graph, decodes without the GIL and returns (iterations, converged), or NULL with an exception set. */
static PyObject *decode_arrays(Py_buffer *views, long max_iterations) {
    const Graph g = {views[ROWS].buf, views[COLUMNS].buf, views[ROWS].shape[0] - 1, views[SYNDROME].buf};
    if (views[SYNDROME].shape[0] != g.n_checks || views[POSTERIOR].shape[0] != views[LLR].shape[0]) {
        PyErr_SetString(PyExc_ValueError, "need a syndrome bit per check and a posterior per LLR");
        return NULL;
    }
    if (check_graph(&g, views[COLUMNS].shape[0], views[LLR].shape[0]) < 0) return NULL;
    int64_t max_degree = 0;
    for (Py_ssize_t check = 0; check < g.n_checks; check++)
        if (g.row_pointer[check + 1] - g.row_pointer[check] > max_degree)
            max_degree = g.row_pointer[check + 1] - g.row_pointer[check];
    const Py_ssize_t n_edges = views[COLUMNS].shape[0];
    float *scratch = malloc(sizeof(float) * (size_t)(n_edges + 4 * max_degree + 1));
    if (!scratch) return PyErr_NoMemory();
    float *posterior = views[POSTERIOR].buf;
    memcpy(posterior, views[LLR].buf, sizeof(float) * (size_t)views[LLR].shape[0]);
    long iterations;
    int converged;
    Py_BEGIN_ALLOW_THREADS
    iterations = decode(&g, posterior, scratch, scratch + n_edges, (int)max_degree, max_iterations, &converged);
    Py_END_ALLOW_THREADS
    free(scratch);
    return Py_BuildValue("lO", iterations, converged ? Py_True : Py_False);
}

static PyObject *py_decode(PyObject *module, PyObject *args) {
    (void)module;
    PyObject *objects[N_ARRAYS];
    long max_iterations;
    if (!PyArg_ParseTuple(args, "OOOOlO", &objects[ROWS], &objects[COLUMNS], &objects[LLR], &objects[SYNDROME],
                          &max_iterations, &objects[POSTERIOR]))
        return NULL;
    Py_buffer views[N_ARRAYS];
    int held = 0;
    while (held < N_ARRAYS && get_array(objects[held], &views[held], held) == 0) held++;
    PyObject *result = held == N_ARRAYS ? decode_arrays(views, max_iterations) : NULL;
    while (held > 0) PyBuffer_Release(&views[--held]);
    return result;
}

/* decode_frames(): the graph (views[ROWS], views[COLUMNS]) and the frame arrays, shapes checked. */
enum { F_FRAMES, F_MAGNITUDE, F_SYNDROMES, F_ITERATIONS, F_CONVERGED, N_FRAME_ARRAYS };

/* decode_frames() kernels: the check lanes where the graph allows them, else the frame lanes. */
enum { KERNEL_AUTO, KERNEL_FRAMES, KERNEL_CHECKS };

static PyObject *decode_frame_arrays(Py_buffer *graph_views, Py_buffer *frame_views, long max_iterations,
                                     float known_llr, int portable, int kernel) {
    const Py_ssize_t n_frames = frame_views[F_FRAMES].shape[0], n_variables = frame_views[F_FRAMES].shape[1];
    const Graph g = {graph_views[ROWS].buf, graph_views[COLUMNS].buf, graph_views[ROWS].shape[0] - 1,
                     frame_views[F_SYNDROMES].buf};
    if (max_iterations < 1) {
        PyErr_SetString(PyExc_ValueError, "max_iterations must be >= 1");
        return NULL;
    }
    if (frame_views[F_SYNDROMES].shape[0] != n_frames || frame_views[F_SYNDROMES].shape[1] != g.n_checks ||
        frame_views[F_MAGNITUDE].shape[0] != n_frames || frame_views[F_ITERATIONS].shape[0] != n_frames ||
        frame_views[F_CONVERGED].shape[0] != n_frames) {
        PyErr_SetString(PyExc_ValueError, "decode_frames: need a syndrome bit per check and a magnitude, a pass "
                                          "count and a flag per frame");
        return NULL;
    }
    if (check_graph(&g, graph_views[COLUMNS].shape[0], n_variables) < 0) return NULL;
    int64_t max_degree = 0;
    for (Py_ssize_t check = 0; check < g.n_checks; check++)
        if (g.row_pointer[check + 1] - g.row_pointer[check] > max_degree)
            max_degree = g.row_pointer[check + 1] - g.row_pointer[check];
    const Py_ssize_t n_edges = graph_views[COLUMNS].shape[0];
    const FrameBatch batch = {&g, n_variables, n_edges, n_frames, frame_views[F_FRAMES].buf,
                              frame_views[F_MAGNITUDE].buf, known_llr, frame_views[F_SYNDROMES].buf, max_iterations,
                              frame_views[F_ITERATIONS].buf, frame_views[F_CONVERGED].buf};
    int64_t *stamp = kernel == KERNEL_FRAMES ? NULL : malloc(sizeof(int64_t) * (size_t)(n_variables + 1));
    if (kernel != KERNEL_FRAMES && !stamp) return PyErr_NoMemory();
    const int grouped = kernel != KERNEL_FRAMES && check_groups_qualify(&g, n_variables, stamp);
    free(stamp);
    if (kernel == KERNEL_CHECKS && !grouped) {
        PyErr_SetString(PyExc_ValueError, "decode_frames: kernel 'checks' needs groups of 8 checks of one degree "
                                          "that share no variable");
        return NULL;
    }
    if (grouped) {
        CheckScratch check_scratch;
        if (alloc_check_scratch(&check_scratch, &batch, (int)max_degree) < 0) return PyErr_NoMemory();
        const CheckPass check_pass = choose_check_pass(portable);
        Py_BEGIN_ALLOW_THREADS
        decode_checks(&batch, check_pass, (int)max_degree, &check_scratch);
        Py_END_ALLOW_THREADS
        free_check_scratch(&check_scratch);
        Py_RETURN_NONE;
    }
    const size_t bytes = sizeof(vf) * lane_vectors(&batch, (int)max_degree) + (size_t)g.n_checks * LANES;
    vf *scratch = aligned_alloc(sizeof(vf), (bytes + sizeof(vf) - 1) / sizeof(vf) * sizeof(vf));
    if (!scratch) return PyErr_NoMemory();
    const LanePass pass = choose_lane_pass(portable);
    if (n_frames > 0) {
        Py_BEGIN_ALLOW_THREADS
        decode_lanes(&batch, pass, (int)max_degree, scratch);
        Py_END_ALLOW_THREADS
    }
    free(scratch);
    Py_RETURN_NONE;
}

static PyObject *py_decode_frames(PyObject *module, PyObject *args) {
    (void)module;
    PyObject *graph_objects[2], *frame_objects[N_FRAME_ARRAYS];
    long max_iterations;
    float known_llr;
    int portable, kernel;
    if (!PyArg_ParseTuple(args, "OOOOOlfOOpi", &graph_objects[0], &graph_objects[1], &frame_objects[F_FRAMES],
                          &frame_objects[F_MAGNITUDE], &frame_objects[F_SYNDROMES], &max_iterations, &known_llr,
                          &frame_objects[F_ITERATIONS], &frame_objects[F_CONVERGED], &portable, &kernel))
        return NULL;
    if (kernel < KERNEL_AUTO || kernel > KERNEL_CHECKS) {
        PyErr_SetString(PyExc_ValueError, "decode_frames: kernel must be 0 (auto), 1 (frames) or 2 (checks)");
        return NULL;
    }
    static const struct { const char *name; int ndim; Py_ssize_t itemsize; const char *kinds; int writable; }
        FRAME_ARRAYS[N_FRAME_ARRAYS] = {
            {"frames", 2, 1, "B", 1},      {"magnitudes", 1, 4, "f", 0}, {"syndromes", 2, 1, "B", 0},
            {"iterations", 1, 8, "lq", 1}, {"converged", 1, 1, "B", 1},
        };
    Py_buffer graph_views[N_ARRAYS], frame_views[N_FRAME_ARRAYS];
    int graph_held = 0, frame_held = 0;
    while (graph_held < 2 && get_array(graph_objects[graph_held], &graph_views[graph_held], graph_held) == 0)
        graph_held++;
    while (graph_held == 2 && frame_held < N_FRAME_ARRAYS &&
           get_buffer(frame_objects[frame_held], &frame_views[frame_held], FRAME_ARRAYS[frame_held].name,
                      FRAME_ARRAYS[frame_held].ndim, FRAME_ARRAYS[frame_held].itemsize, FRAME_ARRAYS[frame_held].kinds,
                      FRAME_ARRAYS[frame_held].writable) == 0)
        frame_held++;
    PyObject *result = frame_held == N_FRAME_ARRAYS
                           ? decode_frame_arrays(graph_views, frame_views, max_iterations, known_llr, portable,
                                                 kernel)
                           : NULL;
    while (frame_held > 0) PyBuffer_Release(&frame_views[--frame_held]);
    while (graph_held > 0) PyBuffer_Release(&graph_views[--graph_held]);
    return result;
}

typedef struct {
    const char *name;
    Py_ssize_t itemsize;
    const char *kinds;
    int writable;
} ArraySpec;

static const ArraySpec SYNDROME_ARRAYS[] = {
    {"row_pointer", 8, "lq", 0}, {"column_index", 4, "i", 0}, {"bits", 1, "B", 0},
    {"syndrome", 1, "B", 1},     {"first", 4, "i", 0},        {"wrapped", 4, "i", 0},
};
static const ArraySpec GROUP_ARRAYS[] = {
    {"row_pointer", 8, "lq", 0}, {"column_index", 4, "i", 0}, {"first", 4, "i", 1}, {"wrapped", 4, "i", 1}};

/* The 1-D buffers of objects as specs say; *held counts those taken (to release), -1 with a ValueError. */
static int hold_arrays(PyObject *const *objects, Py_buffer *views, const ArraySpec *specs, int count, int *held) {
    for (*held = 0; *held < count; (*held)++)
        if (get_buffer(objects[*held], &views[*held], specs[*held].name, 1, specs[*held].itemsize, specs[*held].kinds,
                       specs[*held].writable) < 0)
            return -1;
    return 0;
}

/* Whether the syndrome of g's n_bits bits with the encoding first (n_first entries) / wrapped (n_rows rows) reads
 * only inside bits: the entries (an encoding of another graph of that size gives a wrong syndrome, never a stray
 * read) and the edges of the checks outside the encoded groups, which it reads one by one. Reductions without early
 * exit, so the loops vectorise: this runs once per syndrome. */
static int syndrome_reads_inside(const Graph *g, const int32_t *first, Py_ssize_t n_first, const int32_t *wrapped,
                                 Py_ssize_t n_rows, Py_ssize_t n_bits) {
    if (n_first != group_entries(g)) return 0;
    int32_t lowest = 0, highest = INT32_MIN, lowest_row = 0, highest_row = -1;
    for (Py_ssize_t k = 0; k < n_first; k++) {
        lowest = first[k] < lowest ? first[k] : lowest;
        highest = first[k] > highest ? first[k] : highest;
    }
    for (Py_ssize_t k = 0; k < 8 * n_rows; k++) {
        lowest_row = wrapped[k] < lowest_row ? wrapped[k] : lowest_row;
        highest_row = wrapped[k] > highest_row ? wrapped[k] : highest_row;
    }
    if (highest > n_bits - 8 || lowest < -n_rows || lowest_row < 0 || highest_row >= n_bits) return 0;
    Py_ssize_t c0 = 0;
    for (; c0 + 8 <= g->n_checks; c0 += 8)
        if (!same_degree(g, c0, g->row_pointer[c0 + 1] - g->row_pointer[c0]) &&
            !columns_in_range(g->column_index, g->row_pointer[c0], g->row_pointer[c0 + 8], n_bits))
            return 0;
    return columns_in_range(g->column_index, g->row_pointer[c0], g->row_pointer[g->n_checks], n_bits);
}

/* syndrome(row_pointer, column_index, bits, out, first, wrapped): out[c] = XOR of bits[column_index[k]] over the
 * edges k of c; first, wrapped: the encoding group_edges() wrote for this graph. */
static PyObject *py_syndrome(PyObject *module, PyObject *args) {
    (void)module;
    PyObject *objects[6];
    if (!PyArg_ParseTuple(args, "OOOOOO", &objects[0], &objects[1], &objects[2], &objects[3], &objects[4],
                          &objects[5]))
        return NULL;
    Py_buffer views[6];
    int held;
    PyObject *result = NULL;
    if (hold_arrays(objects, views, SYNDROME_ARRAYS, 6, &held) == 0) {
        const Graph g = {views[0].buf, views[1].buf, views[0].shape[0] - 1, NULL};
        if (views[3].shape[0] != g.n_checks)
            PyErr_SetString(PyExc_ValueError, "syndrome: need one output bit per check");
        else if (check_rows(&g, views[1].shape[0]) == 0) {
            if (views[5].shape[0] % 8 || !syndrome_reads_inside(&g, views[4].buf, views[4].shape[0], views[5].buf,
                                                                 views[5].shape[0] / 8, views[2].shape[0])) {
                PyErr_SetString(PyExc_ValueError, "syndrome: first and wrapped are not group_edges() of this graph");
            } else {
                Py_BEGIN_ALLOW_THREADS
                syndrome_of_groups(&g, views[2].buf, views[4].buf, views[5].buf, views[3].buf);
                Py_END_ALLOW_THREADS
                result = Py_None;
                Py_INCREF(result);
            }
        }
    }
    while (held > 0) PyBuffer_Release(&views[--held]);
    return result;
}

/* group_edges(row_pointer, column_index, first, wrapped) -> (entries, rows): the encoding of _bp_groups.h into
 * first (at least n_edges / 8 int32) and wrapped (at least as many times 8). */
static PyObject *py_group_edges(PyObject *module, PyObject *args) {
    (void)module;
    PyObject *objects[4];
    if (!PyArg_ParseTuple(args, "OOOO", &objects[0], &objects[1], &objects[2], &objects[3])) return NULL;
    Py_buffer views[4];
    int held;
    PyObject *result = NULL;
    if (hold_arrays(objects, views, GROUP_ARRAYS, 4, &held) == 0) {
        const Graph g = {views[0].buf, views[1].buf, views[0].shape[0] - 1, NULL};
        if (check_graph(&g, views[1].shape[0], INT32_MAX) == 0) {
            const Py_ssize_t entries = group_entries(&g);
            if (views[2].shape[0] < entries || views[3].shape[0] < 8 * entries)
                PyErr_SetString(PyExc_ValueError, "group_edges: first or wrapped too short for this graph");
            else
                result = Py_BuildValue("nn", entries, encode_groups(&g, views[2].buf, views[3].buf));
        }
    }
    while (held > 0) PyBuffer_Release(&views[--held]);
    return result;
}

static PyObject *py_lanes_use_avx2(PyObject *module, PyObject *args) {
    (void)module, (void)args;
    return PyBool_FromLong(choose_lane_pass(0) != lane_pass_portable);
}

/* phi of a float32 array into another of the same length, through the decoder's table (for the tests). */
static PyObject *py_phi(PyObject *module, PyObject *args) {
    (void)module;
    PyObject *objects[2];
    if (!PyArg_ParseTuple(args, "OO", &objects[0], &objects[1])) return NULL;
    Py_buffer views[2];
    if (get_array(objects[0], &views[0], LLR) < 0) return NULL;
    if (get_array(objects[1], &views[1], POSTERIOR) < 0) {
        PyBuffer_Release(&views[0]);
        return NULL;
    }
    PyObject *result = Py_None;
    if (views[0].shape[0] != views[1].shape[0]) {
        PyErr_SetString(PyExc_ValueError, "phi: input and output lengths differ");
        result = NULL;
    } else {
        phi_many(views[0].buf, views[1].buf, (int)views[0].shape[0]);
        Py_INCREF(result);
    }
    PyBuffer_Release(&views[0]);
    PyBuffer_Release(&views[1]);
    return result;
}

static PyMethodDef methods[] = {
    {"decode", py_decode, METH_VARARGS,
     "decode(row_pointer, column_index, channel_llr, syndrome, max_iterations, posterior) -> (iterations, converged)"
     "\n\nLayered sum-product syndrome decoding; writes the final LLRs into posterior."},
    {"decode_frames", py_decode_frames, METH_VARARGS,
     "decode_frames(row_pointer, column_index, frames, magnitudes, syndromes, max_iterations, known_llr, iterations,"
     " converged, portable, kernel) -> None\n\nDecode many frames of one code, each exactly as decode() would: LANES"
     " checks at a time where the graph's groups of LANES checks share no variable (kernel 0 or 2), else LANES frames"
     " at a time (kernel 0 or 1); AVX2 where the CPU has it unless portable. frames holds Bob's bits (2: known zero)"
     " and is overwritten with the hard decisions; writes passes and convergence flags."},
    {"syndrome", py_syndrome, METH_VARARGS,
     "syndrome(row_pointer, column_index, bits, syndrome, first, wrapped) -> None\n\nH bits mod 2 (bits uint8 0/1)"
     " into syndrome; first, wrapped: the encoding group_edges() wrote for this graph."},
    {"group_edges", py_group_edges, METH_VARARGS,
     "group_edges(row_pointer, column_index, first, wrapped) -> (entries, rows)\n\nPer group of 8 checks of one"
     " degree and edge k: the first of 8 consecutive variables, or -1 - w for row w of wrapped (8 int32 a row)."},
    {"lanes_use_avx2", py_lanes_use_avx2, METH_NOARGS, "Whether decode_frames uses its AVX2 build by default."},
    {"phi", py_phi, METH_VARARGS,
     "phi(t, out) -> None\n\nphi(t) = log((e^t + 1) / (e^t - 1)) of float32 t, as the decoder evaluates it."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "_bp", "Layered sum-product BP kernel (C).", -1, methods};

PyMODINIT_FUNC PyInit__bp(void) {
    build_phi_table();
    build_phi_lane_table();
    PyObject *created = PyModule_Create(&module);
    if (created && (PyModule_AddIntConstant(created, "LANES", LANES) < 0 ||
                    PyModule_AddIntConstant(created, "KNOWN_SYMBOL", KNOWN_SYMBOL) < 0))
        Py_CLEAR(created);
    return created;
}
