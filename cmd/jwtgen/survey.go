package main

import (
	"github.com/AlecAivazis/survey/v2"
)

// surveyPrompter asks on the terminal with survey. survey is archived
// upstream; everything else talks to generator.Prompter, so swapping it
// touches only this file.
type surveyPrompter struct{}

func (surveyPrompter) Select(question string, options []string, def string) (string, error) {
	var answer string
	err := survey.AskOne(&survey.Select{Message: question, Options: options, Default: def}, &answer)
	return answer, err
}

func (surveyPrompter) MultiSelect(question string, options []string, defs []string) ([]string, error) {
	var answer []string
	err := survey.AskOne(&survey.MultiSelect{Message: question, Options: options, Default: defs}, &answer)
	return answer, err
}

func (surveyPrompter) Input(question, def string, validate func(string) error) (string, error) {
	var answer string
	err := survey.AskOne(&survey.Input{Message: question, Default: def}, &answer, survey.WithValidator(func(v any) error {
		s, _ := v.(string)
		return validate(s)
	}))
	return answer, err
}
