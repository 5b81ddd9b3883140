package generator

import (
	"strings"
	"testing"
)

// TestSelectPlanKeepsRowsWhoseConditionHolds checks the plan stage on its
// own: a row is selected by its condition, and two selected rows that
// would write one path are refused, naming both templates.
func TestSelectPlanKeepsRowsWhoseConditionHolds(t *testing.T) {
	d := newData(Defaults())
	rows := []entry{
		{"a.go.tmpl", "$OUT/a.go", generated, always},
		{"b.go.tmpl", "$OUT/b.go", generated, (*data).Cookie},
		{"c.go.tmpl", "$OUT/c.go", generated, not((*data).Cookie)},
	}
	got, err := selectPlan(rows, d)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].Template != "a.go.tmpl" || got[1].Template != "c.go.tmpl" {
		t.Errorf("selected %v, want a.go.tmpl and c.go.tmpl", got)
	}

	rows = append(rows, entry{"d.go.tmpl", "$OUT/a.go", generated, always})
	_, err = selectPlan(rows, d)
	if err == nil || !strings.Contains(err.Error(), "a.go.tmpl and d.go.tmpl both produce internal/auth/a.go") {
		t.Errorf("two rows for one path: %v", err)
	}
}
