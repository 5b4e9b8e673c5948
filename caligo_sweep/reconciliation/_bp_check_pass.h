/* One layered BP pass over one frame, 8 checks at a time in SIMD lanes (included twice by _bp_lanes.h, after
 * _bp_lane_pass.h, whose PHI_LANES and UPDATE_EDGE it uses).
 *
 * The checks of a group 8 q .. 8 q + 7 have one degree and share no variable (the checks of one circulant row of a
 * quasi-cyclic code; check_groups_qualify() makes sure). decode() updates them one after another; as none reads
 * what another writes, updating them together gives the same numbers, and each lane does decode()'s float32
 * operations on its check in decode()'s order (as _bp_lane_pass.h does per frame). So a frame's bits, passes and flag
 * are decode()'s (tested). The k-th variables of a group's checks are 8 consecutive ones away from a circulant's
 * wrap: one vector load and store; at a wrap a gather (GATHER_POSTERIOR) and 8 scalar stores, the 8 indices one
 * vector of the wrapped table (group_variables() in _bp_check_lanes.h encodes both in group_first).
 *
 * Messages are kept per group, edge k of the group's lane l at row_pointer[8 q] + 8 k + l, so that each is one
 * aligned vector. Before the include, CHECK_PASS names the pass.
 */

/* The 8 variables of a wrap-around group's edge, from its entry encoded = -1 - w of group_first. */
static inline const int32_t *WRAPPED_LANES(const int32_t *wrapped, int32_t encoded) {
    return wrapped + LANES * (-1 - (Py_ssize_t)encoded);
}

/* One pass; *held: every check held right after its update, *settled: no hard decision changed (what the stopping
 * rule, pass_ends_decoding() in _bp.c, reads). scratch holds 3 * max_degree vf. */
static void CHECK_PASS(const int64_t *restrict row_pointer, const int32_t *restrict group_first,
                       const int32_t *restrict wrapped, Py_ssize_t n_checks, const uint8_t *restrict syndrome,
                       float *restrict posterior, vf *restrict check_messages, vf *restrict scratch, int max_degree,
                       int *held, int *settled) {
    vf *restrict incoming = scratch, *restrict prefix = scratch + max_degree;
    vf *restrict incoming_phi = scratch + 2 * max_degree;
    const vi no_sign = splat_i(INT32_MAX);
    vi unsatisfied = splat_i(0), any_flip = splat_i(0);
    for (Py_ssize_t first = 0; first < n_checks; first += LANES) {
        const int64_t start = row_pointer[first];
        const int degree = (int)(row_pointer[first + 1] - start);
        const int32_t *restrict variables = group_first + start / LANES;
        vf *restrict messages = check_messages + start / LANES;
        vu8 syndrome_bytes;
        memcpy(&syndrome_bytes, syndrome + first, sizeof syndrome_bytes);
        const vi syndrome_set = __builtin_convertvector(syndrome_bytes, vi) != 0; /* -1 where s_c = 1 */
        vi negative = syndrome_set, parity = syndrome_set;
        vf before = splat_f(0.0f), after = splat_f(0.0f);
        for (int k = 0; k < degree; k++) {
            vf value;
            if (variables[k] >= 0) {
                memcpy(&value, posterior + variables[k], sizeof value);
            } else {
                GATHER_POSTERIOR(posterior, WRAPPED_LANES(wrapped, variables[k]), value);
            }
            value -= messages[k];
            const vf size = (vf)((vi)value & no_sign);
            incoming[k] = value;
            negative ^= value < 0.0f;
            PHI_LANES(&size, &incoming_phi[k]);
            prefix[k] = before; /* the sum of phi over the edges before k */
            before += incoming_phi[k];
        }
        /* Backwards, so that after is the sum of phi over the edges after k, added in the order decode() adds them;
         * a group's variables are distinct, so the order of its updates changes no number. */
        for (int k = degree - 1; k >= 0; k--) {
            const vf others = prefix[k] + after;
            after += incoming_phi[k];
            vf updated, old;
            UPDATE_EDGE(&incoming[k], &others, &negative, &messages[k], &updated);
            const vi now_negative = updated < 0.0f;
            parity ^= now_negative;
            if (variables[k] >= 0) {
                memcpy(&old, posterior + variables[k], sizeof old);
                memcpy(posterior + variables[k], &updated, sizeof updated);
            } else {
                const int32_t *restrict lanes = WRAPPED_LANES(wrapped, variables[k]);
                GATHER_POSTERIOR(posterior, lanes, old);
                for (int lane = 0; lane < LANES; lane++) posterior[lanes[lane]] = updated[lane];
            }
            any_flip |= (old < 0.0f) ^ now_negative;
        }
        unsatisfied |= parity; /* parity is -1 where the check fails */
    }
    *held = *settled = 1;
    for (int lane = 0; lane < LANES; lane++) *held &= unsatisfied[lane] == 0, *settled &= any_flip[lane] == 0;
}
