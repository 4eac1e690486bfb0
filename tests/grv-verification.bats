#!/usr/bin/env bats
# grv-report callbacks, verification and gaming on the hand-built ledger of
# tests/fixtures/verify (EXPECTED.md there works every figure out by hand).

load test_helper

setup_file() {
	grv_sandbox
	bash "$TESTS_DIR/fixtures/verify/build"
	rm -rf "$BATS_FILE_TMPDIR/d"
	cp -R "$GRV_DIR" "$BATS_FILE_TMPDIR/d"
}

setup() {
	export LC_ALL=C PATH="$GRV_BIN:$PATH" GRV_DIR="$BATS_FILE_TMPDIR/d"
	NOV="--now 2026-12-10 --from 2026-11-01 --to 2026-12-01"
}

# sample N SEED...: the draw of EXPECTED.md computed in Python from the
# documented rule (xoshiro256** seeded by splitmix64 from the seed plus
# the FNV-1a hash of the department code; largest remainder, one each),
# over the candidates worked by hand, as sorted ids, a line per seed.
sample() {
	python3 - "$@" <<'PY'
import sys
M = 2**64 - 1
n = int(sys.argv[1])
cands = [("EN", [1, 2, 3, 4, 5, 6]), ("REV", [8, 9, 10, 11])]
def fnv(s):
    h = 0xcbf29ce484222325
    for c in s.encode():
        h = ((h ^ c) * 0x100000001b3) & M
    return h
def rotl(x, k):
    return ((x << k) | (x >> (64 - k))) & M
class Rng:
    def __init__(self, seed):
        self.s = []
        for _ in range(4):
            seed = (seed + 0x9e3779b97f4a7c15) & M
            z = seed
            z = ((z ^ (z >> 30)) * 0xbf58476d1ce4e5b9) & M
            z = ((z ^ (z >> 27)) * 0x94d049bb133111eb) & M
            self.s.append(z ^ (z >> 31))
    def next(self):
        s = self.s
        res = (rotl((s[1] * 5) & M, 7) * 9) & M
        t = (s[1] << 17) & M
        s[2] ^= s[0]; s[3] ^= s[1]; s[1] ^= s[2]; s[0] ^= s[3]
        s[2] ^= t; s[3] = rotl(s[3], 45)
        return res
    def below(self, k):
        return ((self.next() >> 32) * k) >> 32
c = [len(ids) for _, ids in cands]
C, D = sum(c), len(c)
if n >= C:
    a = c[:]
else:
    rest = n - D
    a = [1 + rest * (x - 1) // (C - D) for x in c]
    rem = sorted(range(D), key=lambda d: (-(rest * (c[d] - 1) % (C - D)), d))
    for d in rem[: n - sum(a)]:
        a[d] += 1
for seed in map(int, sys.argv[2:]):
    out = []
    for (code, ids), k in zip(cands, a):
        ids = ids[:]
        r = Rng((seed + fnv(code)) & M)
        for j in range(k):
            i = j + r.below(len(ids) - j)
            ids[j], ids[i] = ids[i], ids[j]
        out += sorted(ids[:k])
    print(" ".join("TS-%d" % i for i in out))
PY
}

drawn() {	# drawn SEED N: grv-report's list, before the calls were made
	grv-report callbacks --now 2026-12-01 --from 2026-11-01 --sample "$2" \
		--seed "$1" | tail -n +2 | cut -d, -f1 | tr '\n' ' ' | sed 's/ $//'
}

@test "callbacks: the sample is stratified by department, drawn as documented, and the same seed gives the same list" {
	seeds="1 2 3 42 18446744073709551615"
	[ "$(for s in $seeds; do drawn $s 5; echo; done)" = "$(sample 5 $seeds)" ]
	[ "$(drawn 42 5)" = "$(drawn 42 5)" ]
	# 5 of 6 EN and 4 REV candidates: EN 3, REV 2 (EXPECTED.md)
	run -0 grv-report callbacks --now 2026-12-01 --from 2026-11-01 --sample 5 --seed 9
	[ "$(tail -n +2 <<<"$output" | cut -d, -f2 | uniq -c | tr -s ' ')" = " 3 EN
 2 REV" ]
	[ "${lines[0]}" = "id,dept,district,loc,category,officer,closed,phone,name" ]
	# one place for two departments: the one with more candidates
	[ "$(grv-report callbacks --now 2026-12-01 --from 2026-11-01 --sample 1 --seed 7 | tail -n 1 | cut -d, -f2)" = EN ]
	# more places than candidates: all of them
	[ "$(drawn 1 50)" = "TS-1 TS-2 TS-3 TS-4 TS-5 TS-6 TS-8 TS-9 TS-10 TS-11" ]
	# seeds differ, lists differ (for some pair of these seeds)
	[ "$(sample 5 $seeds | sort -u | wc -l)" -gt 1 ]
}

@test "callbacks: phones masked and names empty unless --pii; a closure already called or reopened is not listed" {
	run -0 grv-report callbacks $NOV --sample 9 --seed 1
	[ "$output" = "id,dept,district,loc,category,officer,closed,phone,name
TS-6,EN,D1,D1-T1-B1,EN-SUPPLY,EN-JE-B1,2026-11-03T12:06:00+05:30,98XXXXXX06,
TS-9,REV,D1,D1-T1,REV-MUT,REV-TEH-D1T1,2026-11-04T12:09:00+05:30,98XXXXXX09,
TS-10,REV,D1,D1-T1,REV-MUT,REV-TEH-D1T1,2026-11-04T12:10:00+05:30,98XXXXXX10," ]
	run -0 grv-report callbacks $NOV --sample 9 --seed 1 --pii --dept REV
	[ "$output" = "id,dept,district,loc,category,officer,closed,phone,name
TS-9,REV,D1,D1-T1,REV-MUT,REV-TEH-D1T1,2026-11-04T12:09:00+05:30,9800000109,Citizen 9
TS-10,REV,D1,D1-T1,REV-MUT,REV-TEH-D1T1,2026-11-04T12:10:00+05:30,9800000110,Citizen 10" ]
	run -0 grv-report callbacks --now 2026-12-01 --from 2026-11-01 --sample 9 --seed 1 --district D2
	[ "$output" = "id,dept,district,loc,category,officer,closed,phone,name
TS-11,REV,D2,D2-T1,REV-MUT,REV-TEH-D2T1,2026-11-04T13:30:00+05:30,98XXXXXX11," ]
	run -64 grv-report callbacks $NOV
	[ "${lines[0]}" = "grv-report: callbacks: missing --sample N" ]
	run -64 grv-report callbacks $NOV --sample 0
	run -64 grv-report callbacks $NOV --sample 3 --seed -1
	run -64 grv-report grading $NOV --sample 3
	run -64 grv-report verification $NOV --by tehsil
	run -64 grv-report verification $NOV --detail
	# without --seed the seed is said, and gives the list again
	run -0 --separate-stderr grv-report callbacks --now 2026-12-01 --from 2026-11-01 --sample 4
	[[ "$stderr" == "grv-report: callbacks: drawn with --seed "*" (give it to draw the same list again)" ]]
	seed=$(sed 's/.*--seed \([0-9]*\) .*/\1/' <<<"$stderr")
	[ "$output" = "$(grv-report callbacks --now 2026-12-01 --from 2026-11-01 --sample 4 --seed "$seed")" ]
}

@test "verification: per department, district and officer, worked by hand, with the Wilson interval" {
	run -0 grv-report verification $NOV
	[ "$output" = "dept,name,closed,closed_sat,called,confirmed,disputed,unreachable,confirmed_pct,ci_low,ci_high,reported_pct,verified_pct
EN,Energy,8,6,5,3,1,1,75.00,30.06,95.44,75.00,56.25
REV,Revenue,4,4,2,1,1,0,50.00,9.45,90.55,100.00,50.00" ]
	run -0 grv-report verification $NOV --by district
	[ "$output" = "district,name,closed,closed_sat,called,confirmed,disputed,unreachable,confirmed_pct,ci_low,ci_high,reported_pct,verified_pct
D1,Shimla,11,9,6,4,1,1,80.00,37.55,96.38,81.82,65.45
D2,Kangra,1,1,1,0,1,0,0.00,0.00,79.35,100.00,0.00" ]
	run -0 grv-report verification $NOV --by officer --format json
	[[ "$output" == *'"officer":"REV-TEH-D1T1","name":"Neha Kashyap","closed":3,"closed_sat":3,"called":1,"confirmed":1,"disputed":0,"unreachable":0,"confirmed_pct":100.00,"ci_low":20.65,"ci_high":100.00,"reported_pct":100.00,"verified_pct":100.00'* ]]
	# Before the calls: nothing called, no share
	run -0 grv-report verification --now 2026-12-01 --from 2026-11-01 --dept REV
	[ "${lines[1]}" = "REV,Revenue,4,4,0,0,0,0,,,,100.00," ]
	# The interval, by the textbook formula in Python, for each row
	python3 - <<'PY'
import math
def w(x, n, z=1.96):
    p = x / n; d = 1 + z * z / n; m = p + z * z / (2 * n)
    h = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    return "%.2f,%.2f" % (max(0, (m - h) / d) * 100, min(1, (m + h) / d) * 100)
assert w(3, 4) == "30.06,95.44" and w(1, 2) == "9.45,90.55"
assert w(4, 5) == "37.55,96.38" and w(0, 1) == "0.00,79.35"
assert w(1, 1) == "20.65,100.00"
PY
}

@test "gaming: every signal found where the fixture plants it, and nothing else; --detail lists the ids" {
	run -0 grv-report gaming $NOV
	[ "$output" = "signal,subject,count,base,share,note
forced,EN-SE-D1,2,2,100.00,
bribe_forced,EN,1,1,100.00,
paper,REV-TEH-D2T1,2,3,66.67,
bounce,EN>REV,1,1,100.00,
late,EN>REV,1,1,100.00,
habitual,98XXXXXX03,3,,,EN-SUPPLY;REV-MUT;REV-DEMARC
habitual,98XXXXXX04,3,,,EN-SUPPLY
one_officer,98XXXXXX04,3,,,EN-JE-B1
fast,EN-JE-B1,6,8,75.00,hour from 2026-11-03T10:00:00+05:30" ]
	run -0 grv-report gaming $NOV --detail --dept REV
	[ "$output" = "signal,subject,id
paper,REV-TEH-D2T1,TS-16
paper,REV-TEH-D2T1,TS-17
bounce,EN>REV,TS-18
late,EN>REV,TS-18" ]
	# The defaults (grading.conf without the fixture's lines): fewer rows
	cp -R "$GRV_DIR" "$BATS_TEST_TMPDIR/d"
	GRV_DIR=$BATS_TEST_TMPDIR/d
	sed -i '/^[a-z_]*_min\|^hour_max/d' "$GRV_DIR/masters/grading.conf"
	run -0 grv-report gaming $NOV
	[ "$output" = "signal,subject,count,base,share,note
bribe_forced,EN,1,1,100.00,
one_officer,98XXXXXX04,3,,,EN-JE-B1" ]
	echo "paper_pct = 101" >> "$GRV_DIR/masters/grading.conf"
	run -65 grv-report gaming $NOV
	[[ "$output" == "grv-report: masters/grading.conf:"*": paper_pct: not a whole number from 1 to 100 '101'" ]]
}

@test "gaming: a transfer just before the due is late only when the sender had held the complaint longer than late_hours" {
	grv_sandbox
	add_complaint EN-SUPPLY D1-T1-B1 2026-11-02T10:00 >/dev/null
	echo TS-1 | grv-route --now 2026-11-02T10:05 - >/dev/null	# due 2026-11-05T10:05
	grv-route --now 2026-11-05T09:00 --transfer TS-1 --dept REV --reason "Mapped to revenue" >/dev/null
	printf 'late_min = 1\n' >> "$GRV_DIR/masters/grading.conf"
	run -0 grv-report gaming --now 2026-12-01 --from 2026-11-01 --to 2026-12-01
	[ "$output" = "signal,subject,count,base,share,note
late,EN>REV,1,1,100.00," ]
	# 65 minutes before the due, but EN held it 70 h 55 min, not more
	# than 72: every transfer under a limit that short is "before the due"
	printf 'late_hours = 72\n' >> "$GRV_DIR/masters/grading.conf"
	run -0 grv-report gaming --now 2026-12-01 --from 2026-11-01 --to 2026-12-01
	[ "$output" = "signal,subject,count,base,share,note" ]
}
