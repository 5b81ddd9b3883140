package generator

// wiringSnippet is a complete main.go that wires the generated package into
// a server of cfg's framework, with the project's module and package
// names: open the store and build the Config, mount the routes, protect a
// route group, read the signed-in user. init prints it in an existing
// module; docs/wiring.md holds the same for every framework. It is
// framework/wiring.go.tmpl with the framework's parts
// (framework/parts_<name>.tmpl), formatted like every rendered Go file
// (which drops the imports the framework's routes do not use).
func wiringSnippet(cfg Config) string {
	d := newData(cfg)
	set, err := loadTemplates(d)
	if err != nil {
		panic(err) // the templates are constants, tested for every framework
	}
	b, err := execute(set, entry{"framework/wiring.go.tmpl", "main.go", scaffolded, nil}, d)
	if err != nil {
		panic(err)
	}
	if b, err = formatGo("main.go", b, nil); err != nil {
		panic(err)
	}
	return string(b)
}
