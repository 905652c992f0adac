"""The README's examples, one module each: ``build(stack)`` adds the example to a stack.

The compliance gate synthesizes every one of them under the four cdk-nag packs, cfn-lint
and checkov, so the code the README shows is code that passes.
"""
