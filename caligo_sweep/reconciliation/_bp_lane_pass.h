/* One layered BP pass over every check for LANES = 8 frames at once (included twice by _bp_lanes.h, see there).
 *
 * The frames share the code's graph; their values are interleaved lane by lane: posterior[v][lane],
 * messages[e][lane], syndrome[c][lane]. Each lane does exactly the operations of decode() and phi_many() in
 * _bp.c, in the same order, on its own frame, written with GCC vector types (vf: 8 float32): subtraction,
 * addition, multiplication and int-to-float conversion are lane-wise IEEE operations, |x|, the sign flip and the
 * selects are bit masks (what fabsf and negate_if do), and no operation mixes lanes or fuses a multiply with an add.
 * So a frame's bits, passes and flags do not depend on its lane, on its neighbours or on the instruction set: the
 * vector build uses AVX2 (one instruction per vf operation, table lookups by two vgatherdpd of four 64-bit
 * (value, step) pairs each), the portable build two SSE2 halves and scalar table loads.
 *
 * Before the include, LANE_PASS names the pass, PHI_LANES its phi helper and GATHER_PHI(index, low, step) loads
 * phi_pairs[index] per lane into the vf low and step.
 */

/* *out = phi_many() of _bp.c on the lanes of *in, which are finite and >= 0 (see phi_lane_table); pointers, not
 * values, so that the portable build passes no vectors by value. */
static inline void PHI_LANES(const vf *in, vf *out) {
    const vu bits = (vu)*in;
    const vi index = (vi)(bits >> PHI_SHIFT);
    const vf weight = __builtin_convertvector((vi)(bits & ((1u << PHI_SHIFT) - 1u)), vf) * (1.0f / (float)(1 << PHI_SHIFT));
    vf low, step;
    GATHER_PHI(index, low, step);
    *out = low + weight * step;
}

/* *out = the check-to-variable message of an edge: phi of the others' sum, negative where the syndrome bit and the
 * other incoming signs have odd parity (*negative holds all of them, the edge's own sign is taken out). */
static inline void OUTGOING_MESSAGE(const vf *in, const vf *others, const vi *negative, vf *out) {
    vf magnitude;
    PHI_LANES(others, &magnitude);
    *out = (vf)((vi)magnitude ^ ((*negative ^ (*in < 0.0f)) & splat_i(INT32_MIN)));
}

/* An edge's new message and its variable's new LLR *updated = *in + message (the second loop of decode()). */
static inline void UPDATE_EDGE(const vf *in, const vf *others, const vi *negative, vf *message, vf *updated) {
    OUTGOING_MESSAGE(in, others, negative, message);
    *updated = *in + *message;
}

/* One pass; unsatisfied[lane] counts the checks that fail right after their update, flipped[lane] is nonzero when
 * a hard decision changed (the stopping rule of decode()). scratch holds 3 * max_degree vf. */
static void LANE_PASS(const int64_t *restrict row_pointer, const int32_t *restrict column_index, Py_ssize_t n_checks,
                      const uint8_t *restrict syndrome, vf *restrict posterior, vf *restrict check_messages,
                      vf *restrict scratch, int max_degree, vi *unsatisfied, vi *flipped) {
    vf *restrict incoming = scratch, *restrict prefix = scratch + max_degree;
    vf *restrict incoming_phi = scratch + 2 * max_degree;
    const vi no_sign = splat_i(INT32_MAX);
    vi unsatisfied_count = splat_i(0), any_flip = splat_i(0);
    for (Py_ssize_t check = 0; check < n_checks; check++) {
        const int64_t start = row_pointer[check];
        const int degree = (int)(row_pointer[check + 1] - start);
        const int32_t *restrict variables = column_index + start;
        vf *restrict messages = check_messages + start;
        vu8 syndrome_bytes;
        memcpy(&syndrome_bytes, syndrome + check * LANES, sizeof syndrome_bytes);
        const vi syndrome_set = __builtin_convertvector(syndrome_bytes, vi) != 0; /* -1 where s_c = 1 */
        vi negative = syndrome_set, parity = syndrome_set;
        vf before = splat_f(0.0f), after = splat_f(0.0f);
        for (int k = 0; k < degree; k++) {
            const vf value = posterior[variables[k]] - messages[k];
            const vf size = (vf)((vi)value & no_sign);
            incoming[k] = value;
            negative ^= value < 0.0f;
            PHI_LANES(&size, &incoming_phi[k]);
            prefix[k] = before; /* the sum of phi over the edges before k */
            before += incoming_phi[k];
        }
        /* Backwards, so that after is the sum of phi over the edges after k, added in the order decode() adds them;
         * a check's variables are distinct, so the order of its updates changes no number. */
        for (int k = degree - 1; k >= 0; k--) {
            const vf others = prefix[k] + after;
            after += incoming_phi[k];
            vf updated;
            UPDATE_EDGE(&incoming[k], &others, &negative, &messages[k], &updated);
            const vi now_negative = updated < 0.0f;
            any_flip |= (posterior[variables[k]] < 0.0f) ^ now_negative;
            parity ^= now_negative;
            posterior[variables[k]] = updated;
        }
        unsatisfied_count -= parity; /* parity is -1 where the check fails */
    }
    *unsatisfied = unsatisfied_count;
    *flipped = any_flip;
}
