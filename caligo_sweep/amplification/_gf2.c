/*
 * Toeplitz hashing over GF(2) by carry-less polynomial multiplication (Karatsuba on 64-bit words).
 *
 * Bits are packed little-endian: bit j of a vector is bit (j & 63) of word j >> 6. A seed t of n + m - 1 bits and
 * an input x of n bits give y_i = XOR_j t[i - j + n - 1] x_j for i < m, i.e. coefficients n - 1 .. n + m - 2 of the
 * GF(2) polynomial product t(z) x(z). The input is cut into blocks X_b of B bits (B = m rounded up to whole words);
 * block b needs the seed segment S_b of 2B bits that starts at bit n - (b + 1) B, and contributes coefficients
 * B - 1 .. B + m - 2 of S_b(z) X_b(z). With S_b = S0 + z^B S1 those are the upper half of S0 X_b and the lower half
 * of S1 X_b: two B x B products per block, by Karatsuba down to 16-word schoolbook products of 64 x 64 -> 128-bit
 * carry-less multiplications. Everything is XOR and AND, so the result is exact by construction.
 *
 * The carry-less multiply is VPCLMULQDQ on AVX-512 (four products per instruction, 32-word leaves) or PCLMULQDQ where
 * the CPU has them (chosen at run time), else a portable shift-and-xor loop; all give the same bits (tested). The
 * middle product's size is padded to L 2^k words (L <= 16, the padding's outputs dropped), so that no level of the
 * recursion is odd.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#define HAVE_X86 1
#else
#define HAVE_X86 0
#endif

#define SCHOOLBOOK_WORDS 16

/* A 127-bit carry-less product of two words, or a sum of them. */
typedef struct {
    uint64_t lo, hi;
} pair_t;

/* Word-level middle product: out[i] = XOR_{j < n} clmul(a[n - 1 + i - j], b[j]) for i < n, with a of 2n - 1 words
 * and b of n words (the coefficients n - 1 .. 2n - 2 of a(Z) b(Z) in base Z = z^64, each a 127-bit polynomial).
 * For n = 2h, with a_lo = a[0, 2h - 1), a_mid = a[h, 3h - 1), a_hi = a[2h, 4h - 1), b = b0 + Z^h b1:
 *     out[0, h) = P + MP(a_lo + a_mid, b1),  out[h, 2h) = P + MP(a_mid + a_hi, b0),  P = MP(a_mid, b0 + b1),
 * three half-size middle products (Hanrot, Quercia, Zimmermann 2004: the transposed Karatsuba step), so the
 * middle product costs one Karatsuba product. Odd n: b gets a zero word below, a one above (same outputs).
 * scratch holds at least 16 n + 64 words (odd sizes at every level need about 15 n). */
typedef void (*middle_fn)(pair_t *out, const uint64_t *a, const uint64_t *b, size_t n, uint64_t *scratch);

#define DEFINE_MIDDLE_PRODUCT(NAME, ATTR, SCHOOLBOOK, LEAF_WORDS)                                                \
    ATTR static void NAME(pair_t *out, const uint64_t *a, const uint64_t *b, size_t n, uint64_t *scratch) {       \
        if (n <= LEAF_WORDS) {                                                                              \
            SCHOOLBOOK(out, a, b, n);                                                                             \
            return;                                                                                               \
        }                                                                                                         \
        if (n % 2) {                                                                                              \
            uint64_t *a2 = scratch, *b2 = scratch + 2 * n + 2;                                                    \
            pair_t *o2 = (pair_t *)(b2 + n + 2);                                                                  \
            memcpy(a2, a, (2 * n - 1) * sizeof(uint64_t));                                                        \
            a2[2 * n - 1] = 0;                                                                                    \
            b2[0] = 0;                                                                                            \
            memcpy(b2 + 1, b, n * sizeof(uint64_t));                                                              \
            NAME(o2, a2, b2, n + 1, (uint64_t *)(o2 + n + 1));                                                    \
            memcpy(out, o2, n * sizeof(pair_t));                                                                  \
            return;                                                                                               \
        }                                                                                                         \
        size_t h = n / 2;                                                                                         \
        uint64_t *asum = scratch, *bsum = scratch + 2 * h;                                                        \
        pair_t *p = (pair_t *)(bsum + h);                                                                         \
        uint64_t *rest = (uint64_t *)(p + h);                                                                     \
        for (size_t i = 0; i < h; i++) bsum[i] = b[i] ^ b[h + i];                                                 \
        NAME(p, a + h, bsum, h, rest);                                                                            \
        for (size_t i = 0; i < 2 * h - 1; i++) asum[i] = a[i] ^ a[h + i];                                         \
        NAME(out, asum, b + h, h, rest);                                                                          \
        for (size_t i = 0; i < 2 * h - 1; i++) asum[i] = a[h + i] ^ a[2 * h + i];                                 \
        NAME(out + h, asum, b, h, rest);                                                                          \
        for (size_t i = 0; i < h; i++) {                                                                          \
            out[i].lo ^= p[i].lo;                                                                                 \
            out[i].hi ^= p[i].hi;                                                                                 \
            out[h + i].lo ^= p[i].lo;                                                                             \
            out[h + i].hi ^= p[i].hi;                                                                             \
        }                                                                                                         \
    }

#define CLMUL_PORTABLE(lo, hi, x, y)                                                                              \
    do {                                                                                                          \
        uint64_t lo_ = 0, hi_ = 0, x_ = (x), y_ = (y);                                                            \
        for (int k = 0; k < 64; k++) {                                                                            \
            uint64_t mask = -((y_ >> k) & 1);                                                                     \
            lo_ ^= (x_ << k) & mask;                                                                              \
            hi_ ^= (k ? x_ >> (64 - k) : 0) & mask;                                                               \
        }                                                                                                         \
        (lo) = lo_;                                                                                               \
        (hi) = hi_;                                                                                               \
    } while (0)

/* The schoolbook middle product (definition above) of n <= SCHOOLBOOK_WORDS words, word by word. */
static void schoolbook_portable(pair_t *out, const uint64_t *a, const uint64_t *b, size_t n) {
    for (size_t i = 0; i < n; i++) {
        uint64_t lo = 0, hi = 0;
        for (size_t j = 0; j < n; j++) {
            uint64_t plo, phi;
            CLMUL_PORTABLE(plo, phi, a[n - 1 + i - j], b[j]);
            lo ^= plo;
            hi ^= phi;
        }
        out[i].lo = lo;
        out[i].hi = hi;
    }
}

DEFINE_MIDDLE_PRODUCT(middle_portable, , schoolbook_portable, SCHOOLBOOK_WORDS)

#if HAVE_X86
/* The same with PCLMULQDQ: 128-bit loads of (a[k], a[k + 1]) and (b[j], b[j + 1]) give the two products of output
 * i = k + 1 + j - (n - 1) by two multiplies (a[k + 1] b[j] and a[k] b[j + 1]), summed in a 128-bit register laid out
 * as pair_t. */
__attribute__((target("pclmul,sse4.1"))) static void schoolbook_pclmul(pair_t *out, const uint64_t *a,
                                                                       const uint64_t *b, size_t n) {
    for (size_t i = 0; i < n; i++) {
        __m128i sum = _mm_setzero_si128();
        size_t j = 0;
        for (; j + 1 < n; j += 2) {
            const __m128i a_pair = _mm_loadu_si128((const __m128i *)(a + n - 2 + i - j));
            const __m128i b_pair = _mm_loadu_si128((const __m128i *)(b + j));
            sum = _mm_xor_si128(sum, _mm_clmulepi64_si128(a_pair, b_pair, 0x01));
            sum = _mm_xor_si128(sum, _mm_clmulepi64_si128(a_pair, b_pair, 0x10));
        }
        if (j < n)
            sum = _mm_xor_si128(sum, _mm_clmulepi64_si128(_mm_loadl_epi64((const __m128i *)(a + n - 1 + i - j)),
                                                          _mm_loadl_epi64((const __m128i *)(b + j)), 0x00));
        _mm_storeu_si128((__m128i *)(out + i), sum);
    }
}

DEFINE_MIDDLE_PRODUCT(middle_pclmul, __attribute__((target("pclmul,sse4.1"))), schoolbook_pclmul, SCHOOLBOOK_WORDS)

#define VPCLMUL_TARGET __attribute__((target("avx512f,vpclmulqdq,pclmul,sse4.1")))
/* Leaves of the AVX-512 path: four products per instruction make larger schoolbook leaves pay. */
#define VPCLMUL_LEAF_WORDS 32

/* Mask of the first min(count, limit) 64-bit words of a masked load (count > 0). */
static inline __mmask8 first_words(size_t count, size_t limit) {
    return (__mmask8)((1u << (count < limit ? count : limit)) - 1u);
}

/* The same with VPCLMULQDQ on 512-bit registers: 128-bit lane L holds output i + L; per pair (b[j], b[j + 1]),
 * broadcast to every lane, lane L multiplies the words (a[k + L], a[k + L + 1]), k = n - 2 + i - j, as
 * schoolbook_pclmul does for one output. Loads are masked at a[2 n - 2] and the last group's lanes past n - 1 (whose
 * words the mask may zero) are not stored. */
VPCLMUL_TARGET static void schoolbook_vpclmul(pair_t *out, const uint64_t *a, const uint64_t *b, size_t n) {
    const __m512i word_pairs = _mm512_set_epi64(4, 3, 3, 2, 2, 1, 1, 0); /* lane L: words L, L + 1 */
    const __m512i low_words = _mm512_set_epi64(0, 3, 0, 2, 0, 1, 0, 0);  /* lane L: word L in the low half */
    const size_t a_words = 2 * n - 1;
    for (size_t i = 0; i < n; i += 4) {
        __m512i sum = _mm512_setzero_si512();
        size_t j = 0;
        for (; j + 1 < n; j += 2) {
            const size_t k = n - 2 + i - j;
            const __m512i a_pairs =
                _mm512_permutexvar_epi64(word_pairs, _mm512_maskz_loadu_epi64(first_words(a_words - k, 5), a + k));
            const __m512i b_pair = _mm512_broadcast_i32x4(_mm_loadu_si128((const __m128i *)(b + j)));
            sum = _mm512_xor_si512(sum, _mm512_clmulepi64_epi128(a_pairs, b_pair, 0x01));
            sum = _mm512_xor_si512(sum, _mm512_clmulepi64_epi128(a_pairs, b_pair, 0x10));
        }
        if (j < n) {
            const size_t k = n - 1 + i - j;
            const __m512i a_low =
                _mm512_permutexvar_epi64(low_words, _mm512_maskz_loadu_epi64(first_words(a_words - k, 4), a + k));
            const __m512i b_word = _mm512_broadcast_i32x4(_mm_loadl_epi64((const __m128i *)(b + j)));
            sum = _mm512_xor_si512(sum, _mm512_clmulepi64_epi128(a_low, b_word, 0x00));
        }
        _mm512_mask_storeu_epi64((void *)(out + i), first_words(2 * (n - i), 8), sum);
    }
}

DEFINE_MIDDLE_PRODUCT(middle_vpclmul, VPCLMUL_TARGET, schoolbook_vpclmul, VPCLMUL_LEAF_WORDS)
#endif

/* Instruction sets of the carry-less multiply, narrowest first; a caller asks for the widest it allows. */
enum { PORTABLE = 0, PCLMUL = 1, VPCLMUL = 2 };
static const char *const KERNEL_NAMES[] = {"portable", "pclmul", "vpclmul"};

/* The widest kernel the CPU has, up to widest. */
static int choose_level(int widest) {
#if HAVE_X86
    __builtin_cpu_init();
    const int pclmul = __builtin_cpu_supports("pclmul") && __builtin_cpu_supports("sse4.1");
    if (widest >= VPCLMUL && pclmul && __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("vpclmulqdq"))
        return VPCLMUL;
    if (widest >= PCLMUL && pclmul) return PCLMUL;
#endif
    (void)widest;
    return PORTABLE;
}

static middle_fn kernel_of(int level) {
#if HAVE_X86
    if (level == VPCLMUL) return middle_vpclmul;
    if (level == PCLMUL) return middle_pclmul;
#endif
    (void)level;
    return middle_portable;
}

/* Bits [start, start + 64 * words) of the little-endian packed vector v of v_bits bits (zero outside). */
static void extract_bits(uint64_t *out, const uint64_t *v, int64_t v_bits, int64_t start, size_t words) {
    int64_t v_words = (v_bits + 63) / 64;
    for (size_t w = 0; w < words; w++) {
        int64_t bit = start + 64 * (int64_t)w;
        int64_t word = bit >= 0 ? bit / 64 : -((-bit + 63) / 64);   /* floor(bit / 64) */
        int shift = (int)(bit - 64 * word);
        uint64_t value = 0;
        if (word >= 0 && word < v_words) value = v[word] >> shift;
        if (shift && word + 1 >= 0 && word + 1 < v_words) value |= v[word + 1] << (64 - shift);
        int64_t valid = v_bits - bit;                                 /* bits of this word inside v */
        if (valid <= 0) value = 0;
        else if (valid < 64) value &= ((uint64_t)1 << valid) - 1;
        out[w] = value;                                               /* bits below 0 were never read */
    }
}

/* n rounded up to L 2^k words with L <= SCHOOLBOOK_WORDS: every Karatsuba level below it is even, down to the leaves. */
static size_t padded_size(size_t n) {
    int k = 0;
    while (((n + ((size_t)1 << k) - 1) >> k) > SCHOOLBOOK_WORDS) k++;
    return ((n + ((size_t)1 << k) - 1) >> k) << k;
}

static int toeplitz(uint64_t *y, const uint64_t *x, int64_t n, const uint64_t *t, int64_t m, middle_fn middle) {
    size_t bw = (size_t)((m + 63) / 64);               /* words per block */
    int64_t block = 64 * (int64_t)bw;                   /* B, bits */
    int64_t t_bits = n + m - 1;
    size_t used = bw + 2;                               /* middle-product outputs used: product words bw - 2 .. 2 bw - 1 */
    size_t mn = padded_size(used);                      /* the middle product's size; its extra outputs are dropped */
    uint64_t *buffer = calloc(mn + 2 * mn + mn + 2 * mn + 16 * mn + 64, sizeof(uint64_t));
    if (!buffer) return -1;
    uint64_t *xb = buffer, *seg = xb + mn, *words = seg + 2 * mn;
    pair_t *mp = (pair_t *)(words + mn);
    uint64_t *scratch = (uint64_t *)(mp + mn);
    memset(y, 0, bw * sizeof(uint64_t));
    for (int64_t start = 0; start < n; start += block) {
        /* X_b padded with zero words to mn; S_b = t bits [n - start - B, n - start + B) shifted up by three words
         * and by the mn - used padding words (so that output k pairs the same words as without padding). */
        extract_bits(xb, x, n, start, bw);
        memset(xb + bw, 0, (mn - bw) * sizeof(uint64_t));
        extract_bits(seg, t, t_bits, n - start - block - 64 * (int64_t)(3 + mn - used), 2 * mn - 1);
        middle(mp, seg, xb, mn, scratch);
        /* product word bw - 1 + k = lo(C_{bw - 1 + k}) ^ hi(C_{bw - 2 + k}) = lo(mp[k + 1]) ^ hi(mp[k]) */
        for (size_t k = 0; k <= bw; k++) words[k] = mp[k + 1].lo ^ mp[k].hi;
        /* y_i = product bit B - 1 + i: bit 63 of word bw - 1 onwards */
        for (size_t w = 0; w < bw; w++) y[w] ^= (words[w] >> 63) | (words[w + 1] << 1);
    }
    if (m % 64) y[bw - 1] &= ((uint64_t)1 << (m % 64)) - 1;
    free(buffer);
    return 0;
}

static int get_words(PyObject *object, Py_buffer *view, Py_ssize_t words, int writable, const char *name) {
    if (PyObject_GetBuffer(object, view, PyBUF_C_CONTIGUOUS | PyBUF_FORMAT | (writable ? PyBUF_WRITABLE : 0)) < 0)
        return -1;
    if (view->itemsize != 8 || view->len != words * 8) {
        PyErr_Format(PyExc_ValueError, "%s must be %zd contiguous 64-bit words; got %zd bytes", name, words, view->len);
        PyBuffer_Release(view);
        return -1;
    }
    return 0;
}

static PyObject *py_toeplitz_hash(PyObject *self, PyObject *args, PyObject *kwargs) {
    static char *keywords[] = {"output_words", "input_words", "n_input_bits", "seed_words", "n_output_bits",
                               "widest", NULL};
    PyObject *y_obj, *x_obj, *t_obj;
    long long n, m;
    int widest = VPCLMUL;
    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "OOLOL|i", keywords, &y_obj, &x_obj, &n, &t_obj, &m, &widest))
        return NULL;
    if (n < 1 || m < 1) {
        PyErr_SetString(PyExc_ValueError, "n_input_bits and n_output_bits must be >= 1");
        return NULL;
    }
    if (widest < PORTABLE || widest > VPCLMUL) {
        PyErr_Format(PyExc_ValueError, "widest must be in [0, 2]; got %d", widest);
        return NULL;
    }
    Py_buffer y, x, t;
    if (get_words(y_obj, &y, (m + 63) / 64, 1, "output_words") < 0) return NULL;
    if (get_words(x_obj, &x, (n + 63) / 64, 0, "input_words") < 0) {
        PyBuffer_Release(&y);
        return NULL;
    }
    if (get_words(t_obj, &t, (n + m - 1 + 63) / 64, 0, "seed_words") < 0) {
        PyBuffer_Release(&y);
        PyBuffer_Release(&x);
        return NULL;
    }
    int status;
    Py_BEGIN_ALLOW_THREADS
    status = toeplitz((uint64_t *)y.buf, (const uint64_t *)x.buf, n, (const uint64_t *)t.buf, m, kernel_of(choose_level(widest)));
    Py_END_ALLOW_THREADS
    PyBuffer_Release(&y);
    PyBuffer_Release(&x);
    PyBuffer_Release(&t);
    if (status) return PyErr_NoMemory();
    Py_RETURN_NONE;
}

static PyObject *py_kernel(PyObject *self, PyObject *args) {
    int widest = VPCLMUL;
    if (!PyArg_ParseTuple(args, "|i", &widest)) return NULL;
    if (widest < PORTABLE || widest > VPCLMUL) {
        PyErr_Format(PyExc_ValueError, "widest must be in [0, 2]; got %d", widest);
        return NULL;
    }
    return PyUnicode_FromString(KERNEL_NAMES[choose_level(widest)]);
}

static PyMethodDef methods[] = {
    {"toeplitz_hash_words", (PyCFunction)(void (*)(void))py_toeplitz_hash, METH_VARARGS | METH_KEYWORDS,
     "toeplitz_hash_words(output_words, input_words, n_input_bits, seed_words, n_output_bits, widest=2)"},
    {"kernel", py_kernel, METH_VARARGS,
     "kernel(widest=2): name of the carry-less multiply used (portable 0, pclmul 1, vpclmul 2 at most widest)."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "_gf2", "Exact GF(2) Toeplitz hashing.", -1, methods};

PyMODINIT_FUNC PyInit__gf2(void) {
    return PyModule_Create(&module);
}
