// Starts the NHS.UK frontend components. Loaded as a module file so the Content Security
// Policy can forbid inline scripts. Every page works without it.
import { initAll } from '../nhsuk/nhsuk-frontend.min.js'

document.body.classList.add('nhsuk-frontend-supported')
initAll()
