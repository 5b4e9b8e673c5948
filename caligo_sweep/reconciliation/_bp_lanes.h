/* Many frames of one code through LANES lanes of the layered BP pass (included once by _bp.c, after decode()).
 *
 * Each lane holds one frame. All lanes run a pass together (_bp_lane_pass.h); after it, a lane whose frame met the
 * stopping rule of decode(), or used max_iterations passes, hands its hard decision, passes and flag back and takes
 * the next frame, with zeroed check messages, so every frame is decoded exactly as decode() decodes it alone,
 * whichever lane and neighbours it has. The pass is compiled twice: for AVX2 (chosen at run time where the CPU has
 * it) and portably (SSE2 on x86_64); the two give the same bits (tested). */

#define LANES 8

typedef float vf __attribute__((vector_size(4 * LANES)));
typedef int32_t vi __attribute__((vector_size(4 * LANES)));
typedef uint32_t vu __attribute__((vector_size(4 * LANES)));
typedef uint8_t vu8 __attribute__((vector_size(LANES)));

#define splat_f(x) ((vf){0} + (x))
#define splat_i(x) ((vi){0} + (x))

/* phi_many() as one table lookup per lane, indexed by the top 14 bits of the (non-negative, finite) float: entry i
 * holds the value and the step (phi_table[j + 1] - phi_table[j], j = i - PHI_FIRST_INDEX) that phi_many() uses for
 * that float, so value + weight * step is its result bit for bit. Where phi_many() clamps (t below 2^-60, t = 0, or
 * t above 2^6) the entry holds the clamped result and step 0, so value + weight * 0 is that result and the lane
 * code needs no comparisons. The float32 step is the same number phi_many() computes at each call. */
#define PHI_LANE_ENTRIES (1 << (31 - PHI_SHIFT))
static float phi_lane_table[PHI_LANE_ENTRIES][2];

static void build_phi_lane_table(void) {
    const float top = phi_table[PHI_SIZE - 2] + 1.0f * (phi_table[PHI_SIZE - 1] - phi_table[PHI_SIZE - 2]);
    for (int i = 0; i < PHI_LANE_ENTRIES; i++) {
        const int j = i - PHI_FIRST_INDEX;
        const int inside = j >= 0 && j <= PHI_SIZE - 2;
        phi_lane_table[i][0] = j < 0 ? phi_table[0] : (inside ? phi_table[j] : top);
        phi_lane_table[i][1] = inside ? phi_table[j + 1] - phi_table[j] : 0.0f;
    }
}

#define GATHER_PHI(index, low, step)                                                                                  \
    for (int lane_ = 0; lane_ < LANES; lane_++) {                                                                      \
        (low)[lane_] = phi_lane_table[(index)[lane_]][0];                                                              \
        (step)[lane_] = phi_lane_table[(index)[lane_]][1];                                                             \
    }
#define GATHER_POSTERIOR(posterior, indices, value)                                                                    \
    for (int lane_ = 0; lane_ < LANES; lane_++) (value)[lane_] = (posterior)[(indices)[lane_]];
#define LANE_PASS lane_pass_portable
#define PHI_LANES phi_lanes_portable
#define OUTGOING_MESSAGE outgoing_message_portable
#define UPDATE_EDGE update_edge_portable
#define CHECK_PASS check_pass_portable
#define WRAPPED_LANES wrapped_lanes_portable
#include "_bp_lane_pass.h"
#include "_bp_check_pass.h"
#undef CHECK_PASS
#undef WRAPPED_LANES
#undef LANE_PASS
#undef PHI_LANES
#undef OUTGOING_MESSAGE
#undef UPDATE_EDGE
#undef GATHER_PHI
#undef GATHER_POSTERIOR

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define HAVE_AVX2_BUILD 1
#pragma GCC push_options
#pragma GCC target("avx2")
#include <immintrin.h>
/* Two gathers of four 64-bit (value, step) pairs, lanes 0, 1, 4, 5 and 2, 3, 6, 7 (one permutation of the indices),
 * so that one in-lane shuffle each takes the values and the steps apart in lane order: half the gathered elements of
 * one 32-bit gather of the values and one of the steps, the same floats. */
#define GATHER_PHI(index, low, step)                                                                                  \
    {                                                                                                                  \
        const __m256i index_ = _mm256_permute4x64_epi64((__m256i)(index), _MM_SHUFFLE(3, 1, 2, 0));                   \
        const __m256 first_ = _mm256_castpd_ps(                                                                        \
            _mm256_i32gather_pd((const double *)&phi_lane_table[0][0], _mm256_castsi256_si128(index_), 8));           \
        const __m256 second_ = _mm256_castpd_ps(                                                                       \
            _mm256_i32gather_pd((const double *)&phi_lane_table[0][0], _mm256_extracti128_si256(index_, 1), 8));      \
        (low) = (vf)_mm256_shuffle_ps(first_, second_, _MM_SHUFFLE(2, 0, 2, 0));                                       \
        (step) = (vf)_mm256_shuffle_ps(first_, second_, _MM_SHUFFLE(3, 1, 3, 1));                                      \
    }
#define GATHER_POSTERIOR(posterior, indices, value)                                                                    \
    (value) = (vf)_mm256_i32gather_ps((posterior), _mm256_loadu_si256((const __m256i *)(indices)), 4);
#define LANE_PASS lane_pass_avx2
#define PHI_LANES phi_lanes_avx2
#define OUTGOING_MESSAGE outgoing_message_avx2
#define UPDATE_EDGE update_edge_avx2
#define CHECK_PASS check_pass_avx2
#define WRAPPED_LANES wrapped_lanes_avx2
#include "_bp_lane_pass.h"
#include "_bp_check_pass.h"
#undef CHECK_PASS
#undef WRAPPED_LANES
#undef LANE_PASS
#undef PHI_LANES
#undef OUTGOING_MESSAGE
#undef UPDATE_EDGE
#undef GATHER_PHI
#undef GATHER_POSTERIOR
#pragma GCC pop_options
#else
#define HAVE_AVX2_BUILD 0
#endif

typedef void (*LanePass)(const int64_t *, const int32_t *, Py_ssize_t, const uint8_t *, vf *, vf *, vf *, int,
                         vi *, vi *);

typedef void (*CheckPass)(const int64_t *, const int32_t *, const int32_t *, Py_ssize_t, const uint8_t *, float *,
                          vf *, vf *, int, int *, int *);

/* Whether the CPU runs the AVX2 builds (and portable is not asked for). */
static int use_avx2(int portable) {
#if HAVE_AVX2_BUILD
    return !portable && __builtin_cpu_supports("avx2");
#else
    (void)portable;
    return 0;
#endif
}

/* The AVX2 passes where the build and the CPU have them, unless portable is asked for. */
static LanePass choose_lane_pass(int portable) {
#if HAVE_AVX2_BUILD
    if (use_avx2(portable)) return lane_pass_avx2;
#endif
    return lane_pass_portable;
}

static CheckPass choose_check_pass(int portable) {
#if HAVE_AVX2_BUILD
    if (use_avx2(portable)) return check_pass_avx2;
#endif
    return check_pass_portable;
}

typedef struct {
    const Graph *graph;
    Py_ssize_t n_variables, n_edges, n_frames;
    uint8_t *frames;           /* [frame][variable]: Bob's bit (0, 1) or KNOWN_SYMBOL; out: the hard decisions */
    const float *magnitude;    /* per frame: channel LLR magnitude log((1 - p) / p), float32 */
    float known_llr;           /* LLR of a known bit */
    const uint8_t *syndromes;  /* [frame][check] */
    long max_iterations;
    int64_t *iterations;       /* out: passes per frame */
    uint8_t *converged;        /* out: every check holds, per frame */
} FrameBatch;

/* Value in frames of a bit both sides know to be 0 (a shortened position). */
#define KNOWN_SYMBOL 2

/* Put frame (or nothing, frame < 0: all zero) into lane; the channel LLRs are +-magnitude (as channel_llr() in
 * decoder.py makes them) and known_llr at known bits. */
static void load_lane(const FrameBatch *b, Py_ssize_t frame, int lane, vf *posterior, vf *messages,
                      uint8_t *syndrome) {
    for (Py_ssize_t v = 0; v < b->n_variables; v++)
    {
        const uint8_t symbol = frame < 0 ? 0 : b->frames[frame * b->n_variables + v];
        posterior[v][lane] = frame < 0 ? 0.0f
                             : symbol == KNOWN_SYMBOL ? b->known_llr
                             : symbol ? -b->magnitude[frame] : b->magnitude[frame];
    }
    for (Py_ssize_t e = 0; e < b->n_edges; e++) messages[e][lane] = 0.0f;
    for (Py_ssize_t c = 0; c < b->graph->n_checks; c++)
        syndrome[c * LANES + lane] = frame < 0 ? 0 : b->syndromes[frame * b->graph->n_checks + c];
}

/* vf the lanes need: posterior, check messages, pass scratch; n_checks * LANES syndrome bytes follow them. */
static size_t lane_vectors(const FrameBatch *b, int max_degree) {
    return (size_t)(b->n_variables + b->n_edges + 3 * (Py_ssize_t)max_degree);
}

/* Decode every frame of b; scratch (32-byte aligned) is as lane_vectors() says. Runs without the GIL. */
static void decode_lanes(const FrameBatch *b, LanePass pass, int max_degree, vf *scratch) {
    vf *posterior = scratch, *messages = scratch + b->n_variables, *work = messages + b->n_edges;
    uint8_t *syndrome = (uint8_t *)(scratch + lane_vectors(b, max_degree));
    Py_ssize_t lane_frame[LANES], next = 0;
    long used[LANES];
    vi unsatisfied, flipped;
    int active = 0;
    for (int lane = 0; lane < LANES; lane++) {
        lane_frame[lane] = next < b->n_frames ? next++ : -1;
        used[lane] = 0;
        active += lane_frame[lane] >= 0;
        load_lane(b, lane_frame[lane], lane, posterior, messages, syndrome);
    }
    while (active) {
        pass(b->graph->row_pointer, b->graph->column_index, b->graph->n_checks, syndrome, posterior, messages, work,
             max_degree, &unsatisfied, &flipped);
        for (int lane = 0; lane < LANES; lane++) {
            const Py_ssize_t frame = lane_frame[lane];
            if (frame < 0) continue;
            used[lane]++;
            const int done = pass_ends_decoding(unsatisfied[lane] == 0, flipped[lane] == 0, b->graph,
                                                (const float *)posterior + lane, syndrome + lane, LANES);
            if (!done && used[lane] < b->max_iterations) continue;
            b->iterations[frame] = used[lane];
            b->converged[frame] = done || satisfies(b->graph, (const float *)posterior + lane, syndrome + lane, LANES);
            for (Py_ssize_t v = 0; v < b->n_variables; v++)
                b->frames[frame * b->n_variables + v] = posterior[v][lane] < 0.0f;
            lane_frame[lane] = next < b->n_frames ? next++ : -1;
            used[lane] = 0;
            active -= lane_frame[lane] < 0;
            load_lane(b, lane_frame[lane], lane, posterior, messages, syndrome);
        }
    }
}
