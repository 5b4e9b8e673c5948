/* Layered sum-product syndrome decoding on the binary symmetric channel (the kernel of decoder.py).
 *
 * Messages are log-likelihood ratios log P(x_v = 0) / P(x_v = 1) in float32. A check c with syndrome bit s_c sends
 * (sum-product rule [1])
 *
 *     R_cv = (-1)^(s_c) * prod_{u != v} sign(T_cu) * phi( sum_{u != v} phi(|T_cu|) ),  phi(t) = log((e^t+1)/(e^t-1)),
 *
 * with T_cu = L_u - R_cu. The schedule is layered (check by check, posteriors L updated at once [2]). phi is read
 * from the table built by decoder.py (uniform in sqrt(t), linear interpolation). Decoding stops after the first pass
 * in which every check holds right after its own update and no hard decision flips (then the signs every check saw
 * are the final ones, so all checks hold at the end). The loop runs without the GIL: frames decode in parallel
 * threads.
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
    const float *table; /* phi at t = (i / grid)^2, i = 0 .. table_size - 1 */
    Py_ssize_t table_size;
    float grid; /* table points per unit of sqrt(t) */
} Graph;

/* out[k] = phi(t[k]) by linear interpolation in sqrt(t); t < 0 (rounding) counts as 0, t beyond the table as its
 * end. A separate loop over contiguous arrays, so the compiler vectorises the square roots and conversions. */
static void phi_many(const float *restrict t, float *restrict out, int count, const float *restrict table, float grid,
                     float last) {
    for (int k = 0; k < count; k++) {
        float position = sqrtf(t[k] > 0.0f ? t[k] : 0.0f) * grid;
        position = position > last ? last : position;
        int index = (int)position;
        float weight = position - (float)index;
        out[k] = table[index] + weight * (table[index + 1] - table[index]);
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

static int satisfies(const Graph *g, const float *posterior) {
    for (Py_ssize_t check = 0; check < g->n_checks; check++) {
        int parity = g->syndrome[check] != 0;
        for (int64_t k = g->row_pointer[check]; k < g->row_pointer[check + 1]; k++)
            parity ^= posterior[g->column_index[k]] < 0.0f;
        if (parity) return 0;
    }
    return 1;
}

/* One decoding; posterior holds the channel LLRs on entry and the final LLRs on return. Scratch: check_messages
 * (one per edge, zeroed here) and four arrays of the largest row degree. Returns the passes used. */
static long decode(const Graph *g, float *restrict posterior, float *restrict check_messages, float *restrict scratch,
                   int max_degree, long max_iterations, int *converged) {
    const int64_t *restrict row_pointer = g->row_pointer;
    const int32_t *restrict column_index = g->column_index;
    const uint8_t *restrict syndrome = g->syndrome;
    const float *restrict table = g->table;
    const float grid = g->grid, last = (float)(g->table_size - 2);
    const Py_ssize_t n_checks = g->n_checks;
    /* per edge of the current check: T_cv, |T_cv| (then sum - phi(|T_cv|)), phi(|T_cv|), |R_cv| */
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
            phi_many(argument, incoming_phi, degree, table, grid, last);
            float phi_sum = 0.0f;
            for (int k = 0; k < degree; k++) phi_sum += incoming_phi[k];
            for (int k = 0; k < degree; k++) argument[k] = phi_sum - incoming_phi[k];
            phi_many(argument, magnitude, degree, table, grid, last);
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
        done = unsatisfied == 0 && !flipped;
    }
    *converged = done || satisfies(g, posterior);
    return iterations;
}

/* The arrays decode() takes: argument name, item size [bytes], struct-format codes accepted, written to. */
static const struct {
    const char *name;
    Py_ssize_t itemsize;
    const char *kinds;
    int writable;
} ARRAYS[] = {
    {"row_pointer", 8, "lq", 0}, {"column_index", 4, "i", 0}, {"channel_llr", 4, "f", 0},
    {"syndrome", 1, "B", 0},     {"phi_table", 4, "f", 0},    {"posterior", 4, "f", 1},
};
enum { ROWS, COLUMNS, LLR, SYNDROME, TABLE, POSTERIOR, N_ARRAYS };

/* A C-contiguous 1-D buffer of ARRAYS[which], or -1 with a ValueError. */
static int get_array(PyObject *object, Py_buffer *view, int which) {
    int flags = PyBUF_C_CONTIGUOUS | PyBUF_FORMAT | (ARRAYS[which].writable ? PyBUF_WRITABLE : 0);
    if (PyObject_GetBuffer(object, view, flags) < 0) return -1;
    const char *format = view->format ? view->format : "B";
    if (*format == '<' || *format == '=' || *format == '@') format++;
    if (view->ndim != 1 || view->itemsize != ARRAYS[which].itemsize || strlen(format) != 1 ||
        !strchr(ARRAYS[which].kinds, *format)) {
        PyErr_Format(PyExc_ValueError, "%s: expected a contiguous 1-D array of %zd-byte items '%s'",
                     ARRAYS[which].name, ARRAYS[which].itemsize, ARRAYS[which].kinds);
        PyBuffer_Release(view);
        return -1;
    }
    return 0;
}

/* Shapes agree and every index stays inside its array (the kernel does no bounds checks). */
static int check_graph(const Graph *g, const Py_buffer *views) {
    const Py_ssize_t n_edges = views[COLUMNS].shape[0], n_variables = views[LLR].shape[0];
    if (g->n_checks < 1 || views[SYNDROME].shape[0] != g->n_checks || views[POSTERIOR].shape[0] != n_variables ||
        g->table_size < 2) {
        PyErr_SetString(PyExc_ValueError,
                        "need a syndrome bit per check, a posterior per LLR and at least 2 phi table entries");
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
    for (Py_ssize_t k = 0; k < n_edges; k++)
        if (g->column_index[k] < 0 || g->column_index[k] >= n_variables) {
            PyErr_SetString(PyExc_ValueError, "column_index out of range of the channel LLRs");
            return -1;
        }
    return 0;
}

/* Checks the graph, decodes without the GIL and returns (iterations, converged), or NULL with an exception set. */
static PyObject *decode_arrays(Py_buffer *views, long max_iterations, float grid) {
    const Graph g = {views[ROWS].buf,  views[COLUMNS].buf,  views[ROWS].shape[0] - 1, views[SYNDROME].buf,
                     views[TABLE].buf, views[TABLE].shape[0], grid};
    if (check_graph(&g, views) < 0) return NULL;
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
    float grid;
    if (!PyArg_ParseTuple(args, "OOOOlOfO", &objects[ROWS], &objects[COLUMNS], &objects[LLR], &objects[SYNDROME],
                          &max_iterations, &objects[TABLE], &grid, &objects[POSTERIOR]))
        return NULL;
    Py_buffer views[N_ARRAYS];
    int held = 0;
    while (held < N_ARRAYS && get_array(objects[held], &views[held], held) == 0) held++;
    PyObject *result = held == N_ARRAYS ? decode_arrays(views, max_iterations, grid) : NULL;
    while (held > 0) PyBuffer_Release(&views[--held]);
    return result;
}

static PyMethodDef methods[] = {
    {"decode", py_decode, METH_VARARGS,
     "decode(row_pointer, column_index, channel_llr, syndrome, max_iterations, phi_table, grid, posterior)"
     " -> (iterations, converged)\n\nLayered sum-product syndrome decoding; writes the final LLRs into posterior."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "_bp", "Layered sum-product BP kernel (C).", -1, methods};

PyMODINIT_FUNC PyInit__bp(void) { return PyModule_Create(&module); }
