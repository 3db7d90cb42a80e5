import { App } from './app.jsx'

/** Prerendered by `next build` (a server component): the client's UI renders its loading state. */
export default function Home() {
  return <App />
}
