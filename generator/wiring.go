package generator

// wiringSnippet is a complete main.go that wires the generated package into
// a server of cfg's framework, with the project's module and package
// names: open the store and build the Config, mount the routes, protect a
// route group, read the signed-in user. init prints it in an existing
// module; docs/wiring.md holds the same for every framework. Each
// framework's is its template framework/wiring_<name>.go.tmpl, formatted
// like every rendered Go file (gofmt aligns the trailing comments of
// consecutive lines).
func wiringSnippet(cfg Config) string {
	v, _ := optionByKey("framework").value(cfg.Framework)
	shared, err := sharedTemplates()
	if err != nil {
		panic(err) // the templates are constants, tested for every framework
	}
	b, err := execute(shared, entry{v.wiringTemplate(), "main.go", scaffolded, nil}, newData(cfg))
	if err != nil {
		panic(err)
	}
	if b, err = formatGo("main.go", b, nil); err != nil {
		panic(err)
	}
	return string(b)
}
