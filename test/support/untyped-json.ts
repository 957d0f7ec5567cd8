/**
 * A value parsed from JSON or YAML whose shape another program defines: a synthesized
 * cdk.tf.json, a rendered prometheus.yml, a report printed with `--format json`, an API answer.
 * Tests walk into it and assert on what they find, so a wrong guess about its shape fails as an
 * assertion with the value in the message, not as a compile error.
 *
 * The one loose type of the tests: everything else is typed.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the point of this type (see above)
export type UntypedJson = any;
