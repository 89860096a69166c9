import { describe, expect, it } from 'vitest'
import { mount } from '@vue/test-utils'
import IncidentLinks from './IncidentLinks.vue'

describe('IncidentLinks', () => {
  it('renders each link as a new-tab link without opener', () => {
    const links = [
      { href: 'https://runbooks.example.com/checkout', text: 'runbook_url' },
      { href: 'http://prometheus:9090/graph?g0.expr=up', text: 'Source' },
    ]
    const wrapper = mount(IncidentLinks, { props: { links } })
    const anchors = wrapper.findAll('a')
    expect(anchors.map((a) => [a.text(), a.attributes('href')])).toEqual(links.map((l) => [l.text, l.href]))
    expect(anchors.every((a) => a.attributes('target') === '_blank')).toBe(true)
    expect(anchors.every((a) => a.attributes('rel') === 'noopener noreferrer')).toBe(true)
  })

  it('renders nothing without links', () => {
    const wrapper = mount(IncidentLinks, { props: { links: [] } })
    expect(wrapper.find('[data-test="incident-links"]').exists()).toBe(false)
  })
})
