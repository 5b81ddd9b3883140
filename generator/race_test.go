//go:build race

package generator

// raceEnabled is true when the tests run with -race; TestGoldenBuild then
// runs the golden cases' tests with -race too (as it does with
// JWTGEN_GOLDEN_RACE=1).
const raceEnabled = true
