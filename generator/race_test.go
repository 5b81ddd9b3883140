//go:build race

package generator

// raceEnabled is true when the tests run with -race; TestGoldenBuild then
// runs the golden cases' tests with -race too.
const raceEnabled = true
