package main

import (
	"github.com/AlecAivazis/survey/v2"
)

// surveyPrompter asks on the terminal with survey. survey is archived
// upstream; everything else talks to generator.Prompter, so swapping it
// touches only this file. Each question's help shows when the user types
// `?` (survey's Help).
type surveyPrompter struct{}

func (surveyPrompter) Select(question, help string, options []string, def string) (string, error) {
	var answer string
	err := survey.AskOne(&survey.Select{Message: question, Help: help, Options: options, Default: def}, &answer)
	return answer, err
}

func (surveyPrompter) MultiSelect(question, help string, options []string, defs []string) ([]string, error) {
	var answer []string
	err := survey.AskOne(&survey.MultiSelect{Message: question, Help: help, Options: options, Default: defs}, &answer)
	return answer, err
}

func (surveyPrompter) Input(question, help, def string, validate func(string) error) (string, error) {
	var answer string
	err := survey.AskOne(&survey.Input{Message: question, Help: help, Default: def}, &answer, survey.WithValidator(func(v any) error {
		s, _ := v.(string)
		return validate(s)
	}))
	return answer, err
}

func (surveyPrompter) Confirm(question, help string, def bool) (bool, error) {
	var answer bool
	err := survey.AskOne(&survey.Confirm{Message: question, Help: help, Default: def}, &answer)
	return answer, err
}
