import { App } from '../app.jsx'

export default function Callback() {
  return <App />
}
