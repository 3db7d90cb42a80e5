import { copyFileSync } from 'node:fs'
import { join } from 'node:path'
import webpack from 'webpack'

/** A plain webpack 5 production build through its Node API, plus the static index.html. */
const context = import.meta.dirname
const output = join(context, 'dist')

webpack(
  {
    mode: 'production',
    context,
    entry: './src/main.js',
    output: { path: output, clean: true },
    devtool: false,
    performance: { hints: false },
  },
  (error, stats) => {
    if (error || stats.hasErrors() || stats.hasWarnings()) {
      console.error(error ?? stats.toString({ all: false, errors: true, warnings: true }))
      process.exit(1)
    }
    copyFileSync(join(context, 'index.html'), join(output, 'index.html'))
    console.log(stats.toString({ all: false, assets: true, colors: false }))
  },
)
